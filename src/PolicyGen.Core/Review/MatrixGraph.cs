using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Review;

/// <summary>
/// The picture of evaluated manifests (npgen matrix -o dot|mermaid): every endpoint framed by its
/// namespace, drawn isolated or open as its policies make it, and an edge for every allowed
/// connection that a policy decides (an allow rule on the client's egress or the server's
/// ingress), labelled with the probed ports it holds for. Connections between two open ends are
/// allowed by default and left out (the legend says so), else every open pod would be joined to
/// every other. Each ipBlock of the policies is a node of its own, joined to the isolated pods it
/// may reach or be reached from.
/// </summary>
public static class MatrixGraph
{
    public static ConnectivityGraph Build(ReachabilityMatrix matrix, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var evaluator = matrix.Evaluator;
        var endpoints = evaluator.Cluster.Endpoints;
        var nodes = new List<GraphNode>();
        var edges = new List<GraphEdge>();
        var ingress = new bool[endpoints.Length];
        var egress = new bool[endpoints.Length];
        for (var e = 0; e < endpoints.Length; e++)
        {
            var identity = evaluator.IdentityOf(e);
            ingress[e] = evaluator.PoliciesOf(identity, PolicyDirection.Ingress).Length > 0;
            egress[e] = evaluator.PoliciesOf(identity, PolicyDirection.Egress).Length > 0;
            var kind = (ingress[e], egress[e]) switch
            {
                (true, true) => GraphNodeKind.Isolated,
                (true, false) => GraphNodeKind.IngressIsolated,
                (false, true) => GraphNodeKind.EgressIsolated,
                _ => GraphNodeKind.Open,
            };
            var endpoint = endpoints[e];
            nodes.Add(new GraphNode(endpoint.Id, endpoint.Kind == "Pod" ? endpoint.Name : $"{endpoint.Name}\n({endpoint.Kind})", kind, endpoint.Namespace));
        }

        for (var f = 0; f < endpoints.Length; f++)
        {
            for (var t = 0; t < endpoints.Length; t++)
            {
                if (f == t || !(egress[f] || ingress[t]))
                {
                    continue;
                }

                var ports = Enumerable.Range(0, matrix.Probes.Count).Where(p => matrix.Get(p, f, t).Allowed).Select(p => matrix.Probes[p].ToString()).ToList();
                if (ports.Count > 0)
                {
                    edges.Add(new GraphEdge(endpoints[f].Id, endpoints[t].Id, string.Join(", ", ports)));
                }
            }
        }

        foreach (var block in Blocks(evaluator.Cluster.Policies))
        {
            var key = $"ipBlock:{block.Text}";
            var address = ConnectionEnd.External(block.Sample);
            var used = false;
            for (var e = 0; e < endpoints.Length; e++)
            {
                var end = ConnectionEnd.ForEndpoint(endpoints[e], e);
                var outbound = egress[e] ? Allowed(matrix, evaluator, end, address) : [];
                var inbound = ingress[e] ? Allowed(matrix, evaluator, address, end) : [];
                if (outbound.Count > 0)
                {
                    edges.Add(new GraphEdge(endpoints[e].Id, key, string.Join(", ", outbound)));
                }

                if (inbound.Count > 0)
                {
                    edges.Add(new GraphEdge(key, endpoints[e].Id, string.Join(", ", inbound)));
                }

                used |= outbound.Count > 0 || inbound.Count > 0;
            }

            if (used)
            {
                nodes.Add(new GraphNode(key, block.Text.Replace(" except ", "\nexcept ", StringComparison.Ordinal), GraphNodeKind.Network, null));
            }
        }

        return ConnectivityGraph.Create(title, nodes, edges,
            "edges: flows a policy allows, per probed port; flows between two open ends are allowed and not drawn");
    }

    private static List<string> Allowed(ReachabilityMatrix matrix, PolicyEvaluator evaluator, ConnectionEnd from, ConnectionEnd to)
        => [.. matrix.Probes.Where(p => evaluator.IsAllowed(from, to, p.Port, p.Protocol)).Select(p => p.ToString())];

    /// <summary>Every distinct ipBlock of the policies, with an address inside it (outside its excepts) to probe.</summary>
    private static IEnumerable<(string Text, System.Net.IPAddress Sample)> Blocks(IEnumerable<NetworkPolicy> policies)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers).Select(peer => peer.IpBlock).OfType<IpBlock>())
        {
            if (!Cidr.TryParse(block.Cidr, out var cidr, out _))
            {
                continue;
            }

            var except = new List<Cidr>();
            foreach (var text in block.Except)
            {
                if (Cidr.TryParse(text, out var e, out _))
                {
                    except.Add(e);
                }
            }

            var compiled = new CompiledIpBlock(cidr, [.. except]);
            var display = compiled.ToString();
            if (!seen.Add(display))
            {
                continue;
            }

            var atoms = new IpAtoms(except.Prepend(cidr));
            for (var a = 0; a < atoms.Count; a++)
            {
                var (family, start) = atoms.Start(a);
                if (compiled.Contains(family, start))
                {
                    yield return (display, Cidr.ToAddress(family, start));
                    break;
                }
            }
        }
    }
}
