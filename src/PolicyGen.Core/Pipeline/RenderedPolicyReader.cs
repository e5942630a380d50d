using System.Collections.Immutable;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Pipeline;

/// <summary>
/// Reads the templates' output back as strictly as any manifest, and checks it with the API
/// server's rules: an edited template cannot smuggle in invalid or extra objects. A policy filled
/// from a trusted frame of the bundled templates takes its reading from the frame's
/// (<see cref="ParsedFrame"/>) when its values allow; one the API server would reject is read from
/// its text after all, so every message points into the text it is about.
/// </summary>
internal static class RenderedPolicyReader
{
    public static ImmutableArray<GeneratedPolicy> Read(ImmutableArray<RenderedPolicy> rendered, ImmutableArray<Diagnostic>.Builder diagnostics)
        => Read(rendered, diagnostics, fromFrames: true, out _);

    /// <param name="fromFrames">False reads every policy from its text (tests compare the two).</param>
    /// <param name="readFromFrames">How many policies took their reading from a frame's.</param>
    public static ImmutableArray<GeneratedPolicy> Read(ImmutableArray<RenderedPolicy> rendered, ImmutableArray<Diagnostic>.Builder diagnostics,
        bool fromFrames, out int readFromFrames)
    {
        readFromFrames = 0;
        var frames = new Dictionary<RenderFrame, ParsedFrame?>();
        var policies = ImmutableArray.CreateBuilder<GeneratedPolicy>(rendered.Length);
        foreach (var policy in rendered)
        {
            // The text must be the fill's (the renderer may add a final newline): a policy whose text was replaced after is parsed.
            if (fromFrames && policy.Filled is { } fill && policy.Yaml.Length - fill.Starts[^1] is 0 or 1
                && FromFrame(policy, fill, frames) is { } quick)
            {
                policies.Add(quick);
                readFromFrames++;
            }
            else if (FromText(policy, diagnostics) is { } parsed)
            {
                policies.Add(parsed);
            }
        }

        return policies.ToImmutable();
    }

    private static string Name(RenderedPolicy policy) => $"{policy.TemplatePath} (rendering {policy.Plan.Id})";

    private static GeneratedPolicy? FromFrame(RenderedPolicy policy, FrameFill fill, Dictionary<RenderFrame, ParsedFrame?> frames)
    {
        if (!frames.TryGetValue(fill.Frame, out var frame))
        {
            frames[fill.Frame] = frame = ParsedFrame.Of(fill.Frame);
        }

        if (frame?.Read(fill, Name(policy)) is not { } parsed || parsed.Id != policy.Plan.Id
            || PolicyValidator.Validate(parsed).Any(p => p.Severity == Severity.Error))
        {
            return null;
        }

        return new GeneratedPolicy(policy.Plan, policy.Yaml, policy.TemplatePath, parsed);
    }

    private static GeneratedPolicy? FromText(RenderedPolicy policy, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var name = Name(policy);
        var loaded = ManifestLoader.LoadText(name, policy.Yaml);
        foreach (var d in loaded.Diagnostics)
        {
            diagnostics.Add(d with { Code = DiagnosticCodes.GeneratedPolicyInvalid, Message = "the template produced invalid YAML: " + d.Message });
        }

        if (loaded.HasErrors)
        {
            return null;
        }

        if (loaded.Cluster.Policies.Length != 1 || loaded.Cluster.Endpoints.Length != 0 || !loaded.Skipped.IsEmpty || !loaded.Unmodeled.IsEmpty
            || loaded.Cluster.Policies[0].Id != policy.Plan.Id)
        {
            var others = loaded.Skipped.AddRange(loaded.Unmodeled).Select(o => $"a {o.Kind}");
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.GeneratedPolicyInvalid,
                $"the template must render exactly one NetworkPolicy named {policy.Plan.Id}, but rendered {string.Join(", ", loaded.Cluster.Policies.Select(p => p.Id).Concat(others).DefaultIfEmpty("none"))}",
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
}
