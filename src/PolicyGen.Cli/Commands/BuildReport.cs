using PolicyGen.Cli.Output;
using PolicyGen.Output;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// The machine-readable account of a build (kind BuildReport) or a proof (kind VerifyReport): what
/// was generated, from where, how it was proven and, for a build, where it went. One shape:
/// every key is always there (null or empty when it does not apply). docs/output.md.
/// </summary>
internal static class BuildReport
{
    /// <param name="target">Where the policies went; null when they went nowhere (the report took stdout).</param>
    public static OrderedDictionary<string, object?> Create(string kind, BuildResult build, string? environment, OutputTarget? target, WriteResult? written)
    {
        var report = ReportDocument.Start(kind);
        report["intent"] = build.Intent?.Name;
        report["source"] = build.Intent is null ? null : Path.GetFileName(build.Intent.Source.File);
        report["environment"] = environment;
        report["policies"] = build.Policies.Select(p => new OrderedDictionary<string, object?>
        {
            ["namespace"] = p.Plan.Namespace,
            ["name"] = p.Plan.Name,
            ["file"] = BuildOutput.FileOf(p),
            ["template"] = p.TemplatePath,
            ["source"] = p.Plan.Source,
            ["rules"] = p.Plan.Ingress.Select((r, i) => Rule("ingress", i, r))
                    .Concat(p.Plan.Egress.Select((r, i) => Rule("egress", i, r))).ToList(),
        }).ToList();
        report["verification"] = build.Verification is not { } v ? null : new OrderedDictionary<string, object?>
        {
            ["verified"] = v.Succeeded,
            ["podWitnesses"] = v.PodWitnesses,
            ["addressWitnesses"] = v.AddressWitnesses,
            ["portClasses"] = v.Ports,
            ["flowsChecked"] = v.FlowsChecked,
            ["expectations"] = v.ExpectationsChecked,
            ["mismatches"] = v.Mismatches.Select(m => m.ToString()).ToList(),
        };
        if (kind == ReportKinds.Build)
        {
            // to: stdout (the stream), file (-o FILE), directory (-o DIR/), or none (the report took stdout).
            report["output"] = new OrderedDictionary<string, object?>
            {
                ["to"] = target is null ? "none" : target.Path is null ? "stdout" : target.IsDirectory ? "directory" : "file",
                ["path"] = target?.Path,
                ["written"] = (written?.Written ?? []).ToList(),
                ["unchanged"] = (written?.Unchanged ?? []).ToList(),
                ["deleted"] = (written?.Deleted ?? []).ToList(),
            };
        }

        report["errors"] = build.Diagnostics.Select(d => d.ToString()).ToList();
        return report;
    }

    private static OrderedDictionary<string, object?> Rule(string direction, int index, Compile.RulePlan rule) => new()
    {
        ["direction"] = direction,
        ["index"] = index,
        ["peer"] = rule.Description,
        ["source"] = rule.Source,
    };
}
