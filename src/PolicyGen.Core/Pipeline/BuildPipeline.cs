using System.Collections.Immutable;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Validation;
using PolicyGen.Verify;

namespace PolicyGen.Pipeline;

/// <summary>
/// intent → compile → render → parse back → validate → verify. Nothing is written here: the caller
/// writes only a result whose every stage succeeded.
/// </summary>
public static class BuildPipeline
{
    public static BuildResult Run(string intentPath, BuildOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (intent, diagnostics) = IntentLoader.Load(intentPath, options.Environment, options.Overlays);
        Mark(clock, "load and bind the intent");
        return intent is null ? new BuildResult(null, [], null, diagnostics) : Run(intent, options, diagnostics);
    }

    private static readonly bool Trace = Environment.GetEnvironmentVariable("NPGEN_TRACE") == "1";

    private static void Mark(System.Diagnostics.Stopwatch clock, string what)
    {
        if (Trace)
        {
            Console.Error.WriteLine($"  {clock.ElapsedMilliseconds,6} ms {what}");
        }
    }

    public static BuildResult Run(NetworkIntent intent, BuildOptions options, ImmutableArray<Diagnostic> earlier = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var diagnostics = earlier.IsDefault ? ImmutableArray.CreateBuilder<Diagnostic>() : earlier.ToBuilder();
        var (apps, connectivityDiagnostics) = AppConnectivity.Of(intent);
        diagnostics.AddRange(connectivityDiagnostics);
        if (HasErrors(diagnostics))
        {
            return new BuildResult(intent, [], null, diagnostics.ToImmutable());
        }

        Mark(clock, "connectivity");
        var plans = IntentCompiler.Compile(intent, apps);
        Mark(clock, "compile");
        var policies = ImmutableArray.CreateBuilder<GeneratedPolicy>();
        if (options.TemplatesDirectory is null && !options.UseTemplateEngine)
        {
            // The bundled templates, without the template engine: same bytes, and the records that
            // reading them back gives, checked with the API server's rules like any parsed policy.
            foreach (var plan in plans)
            {
                var (yaml, templatePath, policy) = BundledRenderer.Render(plan);
                var problems = PolicyValidator.Validate(policy).Where(p => p.Severity == Severity.Error).ToList();
                if (problems.Count > 0 && ParseBack(new RenderedPolicy(plan, yaml, templatePath), diagnostics) is { } reparsed)
                {
                    policies.Add(reparsed); // parsed for the file locations of the problems it reports
                }
                else if (problems.Count == 0)
                {
                    policies.Add(new GeneratedPolicy(plan, yaml, templatePath, policy));
                }
            }

            Mark(clock, "render (bundled templates)");
        }
        else
        {
            var (rendered, renderDiagnostics) = PolicyRenderer.Render(plans, new TemplateSet(options.TemplatesDirectory));
            diagnostics.AddRange(renderDiagnostics);
            Mark(clock, "render");
            foreach (var policy in rendered)
            {
                if (ParseBack(policy, diagnostics) is { } parsed)
                {
                    policies.Add(parsed);
                }
            }
        }

        Mark(clock, "parse back and validate");
        if (HasErrors(diagnostics))
        {
            return new BuildResult(intent, policies.ToImmutable(), null, diagnostics.ToImmutable());
        }

        VerificationReport? report = null;
        if (options.Verify)
        {
            report = IntentVerifier.Verify(intent, apps, [.. policies.Select(p => p.Parsed)]);
            diagnostics.AddRange(report.Diagnostics);
            Mark(clock, "verify");
        }

        return new BuildResult(intent, policies.ToImmutable(), report, diagnostics.ToImmutable());
    }

    /// <summary>
    /// Reads the template's output back as strictly as any manifest, and checks it with the API
    /// server's rules: an edited template cannot smuggle in invalid or extra objects.
    /// </summary>
    private static GeneratedPolicy? ParseBack(RenderedPolicy policy, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var name = $"{policy.TemplatePath} (rendering {policy.Plan.Id})";
        var loaded = ManifestLoader.LoadText(name, policy.Yaml);
        foreach (var d in loaded.Diagnostics)
        {
            diagnostics.Add(d with { Code = DiagnosticCodes.GeneratedPolicyInvalid, Message = "the template produced invalid YAML: " + d.Message });
        }

        if (loaded.HasErrors)
        {
            return null;
        }

        if (loaded.Cluster.Policies.Length != 1 || loaded.Cluster.Endpoints.Length != 0
            || loaded.Cluster.Policies[0].Id != policy.Plan.Id)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.GeneratedPolicyInvalid,
                $"the template must render exactly one NetworkPolicy named {policy.Plan.Id}, but rendered {string.Join(", ", loaded.Cluster.Policies.Select(p => p.Id).DefaultIfEmpty("none"))}",
                new SourceLocation(name, 1, 1)));
            return null;
        }

        var parsed = loaded.Cluster.Policies[0];
        foreach (var problem in PolicyValidator.Validate(parsed).Where(p => p.Severity == Severity.Error))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.GeneratedPolicyInvalid,
                $"the template produced a NetworkPolicy the API server would reject: {problem.Path}: {problem.Message}", problem.Location));
        }

        return new GeneratedPolicy(policy.Plan, policy.Yaml, policy.TemplatePath, parsed);
    }

    private static bool HasErrors(ImmutableArray<Diagnostic>.Builder diagnostics) => diagnostics.Any(d => d.Severity == Severity.Error);
}
