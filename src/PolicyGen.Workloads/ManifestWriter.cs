using System.Globalization;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

/// <summary>
/// Writes model records back as Kubernetes manifests (block-style YAML, as kubectl prints them),
/// each document introduced by <c>---</c>. Strings go through <see cref="YamlQuoting.Quote"/>, so
/// the loader reads back exactly the records written: a named port stays a name, a label value
/// that looks like a number stays a string.
/// </summary>
public static class ManifestWriter
{
    public static void WriteNamespace(TextWriter w, Namespace ns)
    {
        w.Write("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ");
        w.Write(YamlQuoting.Quote(ns.Name));
        w.Write('\n');
        WriteMap(w, "  ", "labels", ns.Labels);
    }

    /// <summary>A Pod (with status IPs), or a workload whose pod template carries the labels and ports.</summary>
    public static void WriteEndpoint(TextWriter w, Endpoint endpoint, int replicas = 1)
    {
        var pod = endpoint.Kind == "Pod";
        var apiVersion = endpoint.Kind switch
        {
            "Pod" or "ReplicationController" => "v1",
            "Job" or "CronJob" => "batch/v1",
            _ => "apps/v1",
        };
        w.Write("---\napiVersion: ");
        w.Write(apiVersion);
        w.Write("\nkind: ");
        w.Write(endpoint.Kind);
        w.Write("\nmetadata:\n  name: ");
        w.Write(YamlQuoting.Quote(endpoint.Name));
        w.Write("\n  namespace: ");
        w.Write(YamlQuoting.Quote(endpoint.Namespace));
        w.Write('\n');
        string indent;
        if (pod)
        {
            WriteMap(w, "  ", "labels", endpoint.Labels);
            w.Write("spec:\n");
            indent = "  ";
        }
        else
        {
            w.Write("spec:\n");
            if (endpoint.Kind is "Deployment" or "StatefulSet" or "ReplicaSet")
            {
                w.Write("  replicas: ");
                w.Write(replicas.ToString(CultureInfo.InvariantCulture));
                w.Write('\n');
            }

            w.Write("  selector:\n");
            WriteMap(w, "    ", "matchLabels", endpoint.Labels);
            w.Write("  template:\n    metadata:\n");
            WriteMap(w, "      ", "labels", endpoint.Labels);
            w.Write("    spec:\n");
            indent = "      ";
        }

        if (endpoint.HostNetwork)
        {
            w.Write(indent);
            w.Write("hostNetwork: true\n");
        }

        w.Write(indent);
        w.Write("containers:\n");
        w.Write(indent);
        w.Write("- name: main\n");
        w.Write(indent);
        w.Write("  image: registry.example/app:1.0\n");
        if (!endpoint.Ports.IsEmpty)
        {
            w.Write(indent);
            w.Write("  ports:\n");
            foreach (var port in endpoint.Ports)
            {
                w.Write(indent);
                w.Write("  - ");
                if (port.Name is { } name)
                {
                    w.Write("name: ");
                    w.Write(YamlQuoting.Quote(name));
                    w.Write('\n');
                    w.Write(indent);
                    w.Write("    ");
                }

                w.Write("containerPort: ");
                w.Write(port.Port.ToString(CultureInfo.InvariantCulture));
                w.Write('\n');
                w.Write(indent);
                w.Write("    protocol: ");
                w.Write(port.Protocol.Name());
                w.Write('\n');
            }
        }

        if (pod && !endpoint.Addresses.IsEmpty)
        {
            w.Write("status:\n  podIP: ");
            w.Write(YamlQuoting.Quote(endpoint.Addresses[0].ToString()));
            w.Write("\n  podIPs:\n");
            foreach (var address in endpoint.Addresses)
            {
                w.Write("  - ip: ");
                w.Write(YamlQuoting.Quote(address.ToString()));
                w.Write('\n');
            }
        }
    }

    public static void WritePolicy(TextWriter w, NetworkPolicy policy)
    {
        w.Write("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ");
        w.Write(YamlQuoting.Quote(policy.Name));
        w.Write("\n  namespace: ");
        w.Write(YamlQuoting.Quote(policy.Namespace));
        w.Write("\nspec:\n");
        WriteSelector(w, "  ", "podSelector", policy.PodSelector);
        if (policy.PolicyTypes is { } types)
        {
            w.Write(types.IsEmpty ? "  policyTypes: []\n" : "  policyTypes:\n");
            foreach (var type in types)
            {
                w.Write("  - ");
                w.Write(YamlQuoting.Quote(type));
                w.Write('\n');
            }
        }

        WriteRules(w, "ingress", "from", policy.Ingress);
        WriteRules(w, "egress", "to", policy.Egress);
    }

    private static void WriteRules(TextWriter w, string key, string peersKey, IReadOnlyList<PolicyRule> rules)
    {
        if (rules.Count == 0)
        {
            return;
        }

        w.Write("  ");
        w.Write(key);
        w.Write(":\n");
        foreach (var rule in rules)
        {
            if (rule.Peers.IsEmpty && rule.Ports.IsEmpty)
            {
                w.Write("  - {}\n");
                continue;
            }

            var lead = "  - ";
            if (!rule.Peers.IsEmpty)
            {
                w.Write(lead);
                w.Write(peersKey);
                w.Write(":\n");
                lead = "    ";
                foreach (var peer in rule.Peers)
                {
                    WritePeer(w, peer);
                }
            }

            if (!rule.Ports.IsEmpty)
            {
                w.Write(lead);
                w.Write("ports:\n");
                foreach (var port in rule.Ports)
                {
                    var first = "    - ";
                    void Field(string name, string value)
                    {
                        w.Write(first);
                        w.Write(name);
                        w.Write(": ");
                        w.Write(value);
                        w.Write('\n');
                        first = "      ";
                    }

                    if (port.Protocol is { } protocol)
                    {
                        Field("protocol", YamlQuoting.Quote(protocol));
                    }

                    if (port.Port is { Number: { } number })
                    {
                        Field("port", number.ToString(CultureInfo.InvariantCulture));
                    }
                    else if (port.Port is { Name: { } name })
                    {
                        Field("port", YamlQuoting.Quote(name));
                    }

                    if (port.EndPort is { } end)
                    {
                        Field("endPort", end.ToString(CultureInfo.InvariantCulture));
                    }

                    if (first == "    - ")
                    {
                        w.Write("    - {}\n");
                    }
                }
            }
        }
    }

    private static void WritePeer(TextWriter w, PolicyPeer peer)
    {
        var lead = "    - ";
        if (peer.IpBlock is { } block)
        {
            w.Write(lead);
            w.Write("ipBlock:\n        cidr: ");
            w.Write(YamlQuoting.Quote(block.Cidr));
            w.Write('\n');
            if (!block.Except.IsEmpty)
            {
                w.Write("        except:\n");
                foreach (var e in block.Except)
                {
                    w.Write("        - ");
                    w.Write(YamlQuoting.Quote(e));
                    w.Write('\n');
                }
            }

            lead = "      ";
        }

        if (peer.NamespaceSelector is { } ns)
        {
            WriteSelector(w, lead, "namespaceSelector", ns, "      ");
            lead = "      ";
        }

        if (peer.PodSelector is { } pod)
        {
            WriteSelector(w, lead, "podSelector", pod, "      ");
            lead = "      ";
        }

        if (lead == "    - ")
        {
            w.Write("    - {}\n");
        }
    }

    private static void WriteSelector(TextWriter w, string lead, string key, LabelSelector selector, string? indent = null)
    {
        indent ??= lead;
        w.Write(lead);
        w.Write(key);
        if (selector.IsEmpty)
        {
            w.Write(": {}\n");
            return;
        }

        w.Write(":\n");
        var inner = indent + "  ";
        if (selector.MatchLabels.Count > 0)
        {
            WriteMap(w, inner, "matchLabels", selector.MatchLabels);
        }

        if (!selector.MatchExpressions.IsEmpty)
        {
            w.Write(inner);
            w.Write("matchExpressions:\n");
            foreach (var e in selector.MatchExpressions)
            {
                w.Write(inner);
                w.Write("- key: ");
                w.Write(YamlQuoting.Quote(e.Key));
                w.Write('\n');
                w.Write(inner);
                w.Write("  operator: ");
                w.Write(YamlQuoting.Quote(e.Operator));
                w.Write('\n');
                if (!e.Values.IsEmpty)
                {
                    w.Write(inner);
                    w.Write("  values:\n");
                    foreach (var v in e.Values)
                    {
                        w.Write(inner);
                        w.Write("  - ");
                        w.Write(YamlQuoting.Quote(v));
                        w.Write('\n');
                    }
                }
            }
        }
    }

    private static void WriteMap(TextWriter w, string indent, string key, System.Collections.Immutable.ImmutableSortedDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return;
        }

        w.Write(indent);
        w.Write(key);
        w.Write(":\n");
        foreach (var (k, v) in map)
        {
            w.Write(indent);
            w.Write("  ");
            w.Write(YamlQuoting.Quote(k));
            w.Write(": ");
            w.Write(YamlQuoting.Quote(v));
            w.Write('\n');
        }
    }
}
