using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Pipeline;
using PolicyGen.Verify;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// <c>npgen verify INTENT --rendered -f FILE|DIR|-</c>: the policies that reach the cluster, after
/// kustomize (or any tool) has had its way with them, proven against the intent.
/// </summary>
internal static class RenderedVerifyCommand
{
    public static int Run(PolicyGen.Intent.IntentInput intent, BuildOptions options, string[] files, string? format, CommandConsole console)
    {
        var build = BuildPipeline.Run(intent, options);
        if (!build.Succeeded)
        {
            foreach (var diagnostic in build.Diagnostics)
            {
                console.Error.WriteLine(diagnostic);
            }

            var outcome = BuildOutcome.Of(build);
            console.Error.WriteLine(outcome == Outcome.CheckFailed
                ? "npgen verify: the intent's own policies fail verification, so the rendered stream was not checked."
                : "npgen verify: the intent has errors, so the rendered stream was not checked.");
            return ExitCodes.For(outcome);
        }

        var (sources, missing) = ManifestFiles.Read(files, () => console.In.ReadToEnd());
        foreach (var diagnostic in missing)
        {
            console.Error.WriteLine(diagnostic);
        }

        if (!missing.IsEmpty)
        {
            console.Error.WriteLine("npgen verify: nothing was checked.");
            return ExitCodes.BadInput;
        }

        var check = RenderedVerifier.Verify(build, sources);
        foreach (var diagnostic in build.Diagnostics.Concat(check.Diagnostics))
        {
            console.Error.WriteLine(diagnostic);
        }

        var where = string.Join(", ", files.Select(f => f == "-" ? "stdin" : f));
        var env = options.Environment is null ? "" : $" (env {options.Environment})";
        if (format is not null)
        {
            var report = Report(build, check, options.Environment);
            console.Out.Write(format == "json" ? StructuredText.Json(report) : StructuredText.Yaml(report));
        }

        if (!check.Succeeded)
        {
            console.Error.WriteLine(check.IsInputError
                ? $"npgen verify: the rendered stream ({where}) could not be read."
                : $"npgen verify: the rendered NetworkPolicies in {where} do not match intent {build.Intent!.Name}{env}.");
            return ExitCodes.For(check.IsInputError ? Outcome.BadInput : Outcome.CheckFailed);
        }

        if (format is null)
        {
            var proof = check.Proof!;
            console.Out.WriteLine($"verified: the {check.PoliciesFound} NetworkPolicies of intent {build.Intent!.Name}{env} in {where} are the ones it generates and allow exactly what the intent allows");
            console.Out.WriteLine($"  {proof.FlowsChecked:N0} flows between {proof.PodWitnesses} witness pods and {proof.AddressWitnesses} addresses on {proof.Ports} ports; {proof.ExpectationsChecked} expectations hold");
        }

        return ExitCodes.Ok;
    }

    private static OrderedDictionary<string, object?> Report(BuildResult build, RenderedVerification check, string? environment)
    {
        var report = ReportDocument.Start(PolicyGen.Output.ReportKinds.RenderedVerify);
        report["intent"] = build.Intent?.Name;
        foreach (var (key, value) in Fields(check, environment))
        {
            report[key] = value;
        }

        return report;
    }

    private static OrderedDictionary<string, object?> Fields(RenderedVerification check, string? environment) => new()
    {
        ["environment"] = environment,
        ["verified"] = check.Succeeded,
        ["policiesExpected"] = check.PoliciesExpected,
        ["policiesFound"] = check.PoliciesFound,
        ["flowsChecked"] = check.Proof?.FlowsChecked,
        ["expectations"] = check.Proof?.ExpectationsChecked,
        ["problems"] = check.Diagnostics.Select(d => new OrderedDictionary<string, object?>
        {
            ["code"] = d.Code,
            ["severity"] = d.Severity == Severity.Error ? "error" : "warning",
            ["message"] = d.Message,
            ["location"] = d.Location?.ToString(),
            ["hint"] = d.Hint,
        }).ToList(),
    };
}
