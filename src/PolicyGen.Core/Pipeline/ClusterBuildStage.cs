using System.Collections.Immutable;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Verify;

namespace PolicyGen.Pipeline;

/// <summary>
/// The <c>spec.cluster</c> part of a build, after the NetworkPolicies: compile, render through the
/// templates, read back as strictly as the API server, and prove the layers together (admin,
/// NetworkPolicy, baseline) against the intent. An intent without the section gets nothing here,
/// so its output stays byte for byte what it was.
/// </summary>
internal static class ClusterBuildStage
{
    public static ImmutableArray<GeneratedClusterPolicy> Run(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies,
        BuildOptions options, ImmutableArray<string> overlays, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (intent.Cluster is not { } cluster)
        {
            return [];
        }

        var (plans, compileDiagnostics) = ClusterPolicyCompiler.Compile(intent, options.ClusterOutput ?? cluster.Output, options.SyncWave);
        diagnostics.AddRange(compileDiagnostics);
        if (compileDiagnostics.Any(d => d.Severity == Severity.Error))
        {
            return [];
        }

        plans = [.. plans.Select(p => p with { Environment = options.Environment, Overlays = overlays })];
        var (rendered, renderDiagnostics) = ClusterPolicyRenderer.Render(plans, new TemplateSet(options.TemplatesDirectory));
        diagnostics.AddRange(renderDiagnostics);
        var generated = ImmutableArray.CreateBuilder<GeneratedClusterPolicy>();
        var parsed = ImmutableArray.CreateBuilder<ClusterPolicyObject>();
        foreach (var policy in rendered)
        {
            var (read, readDiagnostics) = ClusterObjectReader.Read($"{policy.TemplatePath} (rendering {policy.Plan.Id})", policy.Yaml,
                policy.Plan.Kind, policy.Plan.ApiVersion, policy.Plan.Name);
            diagnostics.AddRange(readDiagnostics);
            if (read is not null)
            {
                parsed.Add(read);
                generated.Add(new GeneratedClusterPolicy(policy.Plan, policy.Yaml, policy.TemplatePath));
            }
        }

        if (options.Verify && !diagnostics.Any(d => d.Severity == Severity.Error))
        {
            options.Stage?.Invoke("proving the cluster-wide layers against the intent");
            diagnostics.AddRange(ClusterLayerVerifier.Verify(intent, apps, policies, parsed.ToImmutable(), TemplateOverrides(options.TemplatesDirectory)));
        }

        return generated.ToImmutable();
    }

    private static List<string> TemplateOverrides(string? directory)
        => directory is null ? [] : [.. TemplateSet.BundledNames
            .Where(n => File.Exists(Path.Join(directory, n)) && File.ReadAllText(Path.Join(directory, n)).ReplaceLineEndings("\n") != TemplateSet.Bundled(n))
            .Select(n => Path.Join(directory, n))];
}
