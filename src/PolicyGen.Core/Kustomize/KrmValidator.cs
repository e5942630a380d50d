using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Kustomize;

/// <summary>
/// The validator as a KRM function (kpt <c>pipeline.validators</c>; kustomize <c>validators:</c> with
/// <c>--enable-exec</c>). Facts from kpt v1.0.0-beta.56 (internal/util/render/executor.go
/// runValidators, internal/fnruntime), checked with kpt on this machine: validators run after every
/// mutator of the package, on a copy of the resources, and kpt throws their output items away; a
/// non-zero exit fails the render and kpt prints the results and stderr under [FAIL]. So npgen
/// returns the items exactly as it got them (a validator leaves the stream unchanged), with the
/// findings as results, and exits 1 on a mismatch.
/// </summary>
public static class KrmValidator
{
    public static PluginOutcome Run(List<SourceNode> items, KrmConfigSource source, string workingDirectory, string? loadRestrictor, GeneratorInputs inputs)
    {
        // The items as one YAML stream, read like any rendered stream.
        var text = string.Concat(items.Select(item => "---\n" + YamlNodeWriter.Write(item)));
        var run = ValidatorRun.Run(source.Name, source.Text, workingDirectory, [new ManifestSource("<ResourceList>", text)], withLocations: false, loadRestrictor, inputs);
        var places = new KrmResultPlaces(Path.GetFullPath(workingDirectory), source, run.Build.CopiedFiles);
        var results = new List<SourceNode>();
        if (run.Succeeded)
        {
            var check = run.Check!;
            results.Add(KrmResultPlaces.Result(
                $"verified {check.PoliciesFound} NetworkPolicies of intent {run.Build.Build.Intent!.Name} against {run.Build.Description}: "
                + $"{check.Proof!.FlowsChecked.ToString("N0", CultureInfo.InvariantCulture)} flows and {check.Proof.ExpectationsChecked} expectations hold",
                "info", null));
        }

        foreach (var diagnostic in run.Diagnostics)
        {
            var message = diagnostic.Hint is null ? $"{diagnostic.Code}: {diagnostic.Message}" : $"{diagnostic.Code}: {diagnostic.Message} (hint: {diagnostic.Hint})";
            results.Add(KrmResultPlaces.Result(message, diagnostic.Severity == Severity.Error ? "error" : "warning", places.For(diagnostic)));
        }

        var lines = string.Concat(run.Diagnostics.Select(d => places.ForStderr(d) + "\n"));
        var stderr = run.Succeeded ? lines : lines + ValidatorRun.Summary(run);
        return new PluginOutcome(KrmFunction.Emit(items, results), stderr, run.ExitCode) { Timings = run.Build.Build.FormatTimings() };
    }
}
