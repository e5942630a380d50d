using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PolicyGen.Model;

namespace PolicyGen.Compile;

/// <summary>
/// Renders policy plans exactly as the bundled Scriban templates do (templates/*.sbn), byte for
/// byte, and builds the same NetworkPolicy records that reading that YAML back gives, without the
/// template engine or a YAML parser: the build of a 10,000-app intent spends its time on the
/// intent, not on interpreting templates. Used only when no template is overridden; tests hold it
/// to the templates' output on every example and on generated intents.
/// </summary>
public static class BundledRenderer
{
    public static (string Yaml, string TemplatePath, NetworkPolicy Policy) Render(PolicyPlan plan)
    {
        var w = new StringBuilder(512);
        w.Append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ").Append(Q(plan.Name))
            .Append("\n  namespace: ").Append(Q(plan.Namespace))
            .Append("\n  labels:\n    app.kubernetes.io/managed-by: npgen\n    npgen.dev/intent: ").Append(Q(plan.Intent))
            .Append("\n  annotations:\n    npgen.dev/source: ").Append(Q(plan.Source)).Append('\n');
        var ruleSources = plan.Ingress.Select((r, i) => $"ingress[{i.ToString(CultureInfo.InvariantCulture)}]={r.Source}")
            .Concat(plan.Egress.Select((r, i) => $"egress[{i.ToString(CultureInfo.InvariantCulture)}]={r.Source}")).ToList();
        if (ruleSources.Count > 0)
        {
            w.Append("    npgen.dev/rule-sources: ").Append(Q(string.Join(", ", ruleSources))).Append('\n');
        }

        w.Append("spec:\n");
        switch (plan.Template)
        {
            case IntentCompiler.DefaultDenyTemplate:
                w.Append("  podSelector: {}\n  policyTypes:\n");
                foreach (var type in plan.PolicyTypes)
                {
                    w.Append("  - ").Append(Q(type)).Append('\n');
                }

                break;
            case IntentCompiler.AppIngressTemplate:
            case IntentCompiler.AppEgressTemplate:
                var ingress = plan.Template == IntentCompiler.AppIngressTemplate;
                var rules = ingress ? plan.Ingress : plan.Egress;
                w.Append("  podSelector:\n");
                AppendLabels(w, plan.PodSelector, "    ");
                w.Append(ingress ? "  policyTypes:\n  - Ingress\n  ingress:" : "  policyTypes:\n  - Egress\n  egress:")
                    .Append(rules.IsEmpty ? " []\n" : "\n");
                AppendRules(w, rules, ingress ? "from" : "to");
                break;
            default:
                throw new ArgumentException($"no bundled template {plan.Template}", nameof(plan));
        }

        return (w.ToString(), $"templates/{plan.Template}.sbn (bundled)", Policy(plan));
    }

    private static string Q(string? value) => YamlQuoting.Quote(value);

    private static void AppendLabels(StringBuilder w, ImmutableSortedDictionary<string, string> labels, string indent)
    {
        if (labels.Count == 0)
        {
            w.Append(indent).Append("{}\n");
            return;
        }

        w.Append(indent).Append("matchLabels:\n");
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            w.Append(indent).Append("  ").Append(Q(key)).Append(": ").Append(Q(value)).Append('\n');
        }
    }

    private static void AppendRules(StringBuilder w, ImmutableArray<RulePlan> rules, string peersKey)
    {
        foreach (var rule in rules)
        {
            if (rule.Peers.IsEmpty && rule.Ports.IsEmpty)
            {
                w.Append("  - {}\n");
                continue;
            }

            var first = true;
            if (!rule.Peers.IsEmpty)
            {
                w.Append("  - ").Append(peersKey).Append(":\n");
                first = false;
                foreach (var peer in rule.Peers)
                {
                    if (peer.Cidr is { Length: > 0 } cidr)
                    {
                        w.Append("    - ipBlock:\n        cidr: ").Append(Q(cidr)).Append('\n');
                        if (!peer.Except.IsEmpty)
                        {
                            w.Append("        except:\n");
                            foreach (var e in peer.Except)
                            {
                                w.Append("        - ").Append(Q(e)).Append('\n');
                            }
                        }

                        continue;
                    }

                    var lead = "    - ";
                    if (peer.NamespaceLabels is { } ns)
                    {
                        w.Append(lead).Append("namespaceSelector:").Append(ns.IsEmpty ? " {}\n" : "\n");
                        if (!ns.IsEmpty)
                        {
                            AppendLabels(w, ns, "        ");
                        }

                        lead = "      ";
                    }

                    if (peer.PodLabels is { } pod)
                    {
                        w.Append(lead).Append("podSelector:").Append(pod.IsEmpty ? " {}\n" : "\n");
                        if (!pod.IsEmpty)
                        {
                            AppendLabels(w, pod, "        ");
                        }
                    }
                }
            }

            if (!rule.Ports.IsEmpty)
            {
                w.Append(first ? "  - ports:\n" : "    ports:\n");
                foreach (var port in rule.Ports)
                {
                    w.Append("    - protocol: ").Append(Q(port.Protocol)).Append("\n      port: ").Append(port.Port.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    if (port.EndPort is { } end)
                    {
                        w.Append("      endPort: ").Append(end.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }
    }

    /// <summary>The NetworkPolicy the rendered YAML reads back as (without source locations).</summary>
    private static NetworkPolicy Policy(PolicyPlan plan) => new()
    {
        Namespace = plan.Namespace,
        Name = plan.Name,
        PodSelector = plan.PodSelector.IsEmpty ? LabelSelector.Everything : new LabelSelector { MatchLabels = plan.PodSelector },
        PolicyTypes = plan.PolicyTypes,
        Ingress = [.. plan.Ingress.Select(Rule)],
        Egress = [.. plan.Egress.Select(Rule)],
    };

    private static PolicyRule Rule(RulePlan rule) => new()
    {
        Peers = [.. rule.Peers.Select(p => p.Cidr is { Length: > 0 } cidr
            ? new PolicyPeer { IpBlock = new IpBlock(cidr, p.Except) }
            : new PolicyPeer
            {
                PodSelector = p.PodLabels is null ? null : new LabelSelector { MatchLabels = p.PodLabels },
                NamespaceSelector = p.NamespaceLabels is null ? null : new LabelSelector { MatchLabels = p.NamespaceLabels },
            })],
        Ports = [.. rule.Ports.Select(p => new PolicyPort
        {
            Protocol = p.Protocol,
            Port = IntOrString.FromNumber(p.Port),
            EndPort = p.EndPort,
        })],
    };
}
