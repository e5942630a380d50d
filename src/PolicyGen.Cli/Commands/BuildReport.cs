using PolicyGen.Output;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary>The machine-readable account of a build: what was generated, from where, how it was proven, what was written.</summary>
internal static class BuildReport
{
    public static OrderedDictionary<string, object?> Create(BuildResult build, string? environment, string? directory, WriteResult? written)
    {
        var report = new OrderedDictionary<string, object?>
        {
            ["intent"] = build.Intent?.Name,
            ["source"] = build.Intent is null ? null : Path.GetFileName(build.Intent.Source.File),
            ["environment"] = environment,
            ["policies"] = build.Policies.Select(p => new OrderedDictionary<string, object?>
            {
                ["namespace"] = p.Plan.Namespace,
                ["name"] = p.Plan.Name,
                ["file"] = BuildOutput.FileOf(p),
                ["template"] = p.TemplatePath,
                ["source"] = p.Plan.Source,
                ["rules"] = p.Plan.Ingress.Select((r, i) => Rule("ingress", i, r))
                    .Concat(p.Plan.Egress.Select((r, i) => Rule("egress", i, r))).ToList(),
            }).ToList(),
        };
        if (build.Verification is { } v)
        {
            report["verification"] = new OrderedDictionary<string, object?>
            {
                ["verified"] = v.Succeeded,
                ["podWitnesses"] = v.PodWitnesses,
                ["addressWitnesses"] = v.AddressWitnesses,
                ["portClasses"] = v.Ports,
                ["flowsChecked"] = v.FlowsChecked,
                ["expectations"] = v.ExpectationsChecked,
                ["mismatches"] = v.Mismatches.Select(m => m.ToString()).ToList(),
            };
        }

        if (directory is not null && written is not null)
        {
            report["output"] = new OrderedDictionary<string, object?>
            {
                ["directory"] = directory,
                ["written"] = written.Written.ToList(),
                ["unchanged"] = written.Unchanged.ToList(),
                ["deleted"] = written.Deleted.ToList(),
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
