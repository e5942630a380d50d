using Scriban.Runtime;

namespace PolicyGen.Compile;

/// <summary>
/// A plan as the templates see it: plain script objects (no reflection, so rendering stays trim-
/// and AOT-friendly) with snake_case members. With <see cref="PlanValues"/>, every value is a
/// placeholder and the values and shape are collected on the way (<see cref="RenderFrame"/>).
/// </summary>
internal static class RenderModel
{
    // Each script object is sized for its members up front: growing the dictionary behind it
    // from empty was a third of what rendering allocated (same members, same order).
    public static ScriptObject Of(PolicyPlan plan, PlanValues? values = null)
    {
        values?.Template(plan.Template);
        var policy = new ScriptObject(12)
        {
            ["name"] = Text(values, plan.Name),
            ["namespace"] = Text(values, plan.Namespace),
            ["intent"] = Text(values, plan.Intent),
            ["source"] = Text(values, plan.Source),
            ["sync_wave"] = Text(values, plan.SyncWave),
            ["environment"] = Text(values, plan.Environment ?? ""),
            ["overlays"] = Texts(values, plan.Overlays),
            ["pod_selector"] = LabelArray(values, plan.PodSelector),
            ["policy_types"] = Texts(values, plan.PolicyTypes),
            ["rule_sources"] = Texts(values, [.. plan.Ingress.Select((r, i) => $"ingress[{i}]={r.Source}").Concat(plan.Egress.Select((r, i) => $"egress[{i}]={r.Source}"))]),
            ["ingress"] = Rules(values, plan.Ingress),
            ["egress"] = Rules(values, plan.Egress),
        };
        return policy;
    }

    /// <summary>
    /// The plan's values and shape without the script objects (<see cref="Of"/> with values, in the
    /// same order): a plan whose shape has a trusted frame needs no model, and building one was most of
    /// what filling it cost.
    /// </summary>
    public static PlanValues ValuesOf(PolicyPlan plan)
    {
        var values = new PlanValues();
        values.Template(plan.Template);
        foreach (var text in (ReadOnlySpan<string?>)[plan.Name, plan.Namespace, plan.Intent, plan.Source, plan.SyncWave, plan.Environment ?? ""])
        {
            values.Text(text);
        }

        WalkTexts(values, plan.Overlays);
        WalkLabels(values, plan.PodSelector);
        WalkTexts(values, plan.PolicyTypes);
        values.Count(plan.Ingress.Length + plan.Egress.Length);
        for (var i = 0; i < plan.Ingress.Length; i++)
        {
            values.Text($"ingress[{i}]={plan.Ingress[i].Source}");
        }

        for (var i = 0; i < plan.Egress.Length; i++)
        {
            values.Text($"egress[{i}]={plan.Egress[i].Source}");
        }

        WalkRules(values, plan.Ingress);
        WalkRules(values, plan.Egress);
        return values;
    }

    private static void WalkTexts(PlanValues values, IReadOnlyList<string> texts)
    {
        values.Count(texts.Count);
        foreach (var text in texts)
        {
            values.Text(text);
        }
    }

    private static void WalkLabels(PlanValues values, System.Collections.Immutable.ImmutableSortedDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            values.Count(-1);
            return;
        }

        values.Count(labels.Count);
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            values.Text(key);
            values.Text(value);
        }
    }

    private static void WalkRules(PlanValues values, IReadOnlyList<RulePlan> rules)
    {
        values.Count(rules.Count);
        foreach (var rule in rules)
        {
            values.Count(rule.Peers.Length);
            foreach (var peer in rule.Peers)
            {
                WalkLabels(values, peer.PodLabels);
                WalkLabels(values, peer.NamespaceLabels);
                values.Text(peer.Cidr);
                WalkTexts(values, peer.Except);
            }

            values.Count(rule.Ports.Length);
            foreach (var port in rule.Ports)
            {
                values.Text(port.Protocol);
                values.Number(port.Port);
                values.Number(port.EndPort);
            }

            values.Text(rule.Source);
            values.Text(rule.Description);
        }
    }

    private static object? Text(PlanValues? values, string? text) => values is null ? text : values.Text(text);

    private static ScriptArray Texts(PlanValues? values, IReadOnlyList<string> texts)
    {
        values?.Count(texts.Count);
        return new ScriptArray(texts.Select(t => Text(values, t)));
    }

    private static ScriptArray Rules(PlanValues? values, IReadOnlyList<RulePlan> rules)
    {
        values?.Count(rules.Count);
        return new ScriptArray(rules.Select(r => RuleObject(values, r)));
    }

    private static ScriptObject RuleObject(PlanValues? values, RulePlan rule)
    {
        values?.Count(rule.Peers.Length);
        var peers = new ScriptArray(rule.Peers.Select(p => PeerObject(values, p)));
        values?.Count(rule.Ports.Length);
        var ports = new ScriptArray(rule.Ports.Select(p => new ScriptObject(3)
        {
            ["protocol"] = Text(values, p.Protocol),
            ["port"] = values is null ? p.Port : values.Number(p.Port),
            ["end_port"] = values is null ? p.EndPort : values.Number(p.EndPort),
        }));
        return new(4)
        {
            ["peers"] = peers,
            ["ports"] = ports,
            ["source"] = Text(values, rule.Source),
            ["description"] = Text(values, rule.Description),
        };
    }

    private static ScriptObject PeerObject(PlanValues? values, PeerPlan peer) => new(4)
    {
        ["pod_labels"] = peer.PodLabels is null ? Absent(values) : LabelArray(values, peer.PodLabels),
        ["namespace_labels"] = peer.NamespaceLabels is null ? Absent(values) : LabelArray(values, peer.NamespaceLabels),
        ["cidr"] = Text(values, peer.Cidr),
        ["except"] = Texts(values, peer.Except),
    };

    private static object? Absent(PlanValues? values)
    {
        values?.Count(-1);
        return null;
    }

    /// <summary>Labels as a sorted list of {key, value}, so templates iterate them in a fixed order.</summary>
    private static ScriptArray LabelArray(PlanValues? values, System.Collections.Immutable.ImmutableSortedDictionary<string, string> labels)
    {
        values?.Count(labels.Count);
        return new(labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new ScriptObject(2) { ["key"] = Text(values, l.Key), ["value"] = Text(values, l.Value) }));
    }
}
