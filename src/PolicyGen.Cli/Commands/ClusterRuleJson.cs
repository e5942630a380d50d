using System.Text.Json;
using PolicyGen.Evaluation;

namespace PolicyGen.Cli.Commands;

/// <summary>The layer fields of one direction in <c>npgen eval -o json</c> (S18.2): <c>tier</c>, <c>decidedBy</c>, <c>passedBy</c>.</summary>
internal static class ClusterRuleJson
{
    public static void Write(Utf8JsonWriter writer, DirectionVerdict half)
    {
        writer.WriteString("tier", half.Tier switch
        {
            DecidingTier.Admin => "Admin",
            DecidingTier.NetworkPolicy => "NetworkPolicy",
            DecidingTier.Baseline => "Baseline",
            _ => "None",
        });
        WriteRule(writer, "decidedBy", half.ClusterRule);
        WriteRule(writer, "passedBy", half.PassedBy);
    }

    private static void WriteRule(Utf8JsonWriter writer, string name, ClusterRuleRef? rule)
    {
        if (rule is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("kind", rule.Kind.ToString());
        writer.WriteString("policy", rule.Policy);
        writer.WriteString("tier", rule.Tier.ToString());
        if (rule.Priority is { } priority)
        {
            writer.WriteNumber("priority", priority);
        }
        else
        {
            writer.WriteNull("priority");
        }

        writer.WriteNumber("rule", rule.Rule);
        writer.WriteString("ruleName", rule.RuleName);
        writer.WriteString("action", rule.Action.ToString());
        writer.WriteEndObject();
    }
}
