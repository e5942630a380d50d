using System.Text;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>
/// Writes a small cluster as real Kubernetes manifests (Namespaces, Pods, NetworkPolicies, any raw
/// object), loads them with <see cref="ManifestLoader.LoadText"/>, asserts the loader reports nothing,
/// and builds the evaluator. Pods are one line each:
/// <code>x/a pod=a app=web ip=10.1.0.1 port=http:8080 port=53/UDP port=dns:53/UDP hostNetwork</code>
/// The first word is <c>namespace/name</c>; <c>ip=</c> adds a status pod IP (repeat for dual stack);
/// <c>port=[name:]number[/PROTOCOL]</c> adds a container port (TCP unless written); <c>hostNetwork</c>
/// sets spec.hostNetwork; every other <c>key=value</c> is a label.
/// Policies are written as the YAML under <c>spec:</c>.
/// </summary>
public sealed class Scenario
{
    private readonly List<string> documents = [];
    private EvaluationOptions options = EvaluationOptions.Default;

    public static Scenario Create() => new();

    /// <summary>A Namespace object with labels written <c>key=value key=value</c> (none by default).</summary>
    public Scenario Namespace(string name, string labels = "")
    {
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").Append(name).Append('\n');
        AppendLabels(yaml, "  ", Words(labels));
        documents.Add(yaml.ToString());
        return this;
    }

    /// <summary>Namespaces <c>x</c>, <c>y</c>, ... each labelled <c>ns=&lt;name&gt;</c>.</summary>
    public Scenario Namespaces(params string[] names)
    {
        foreach (var name in names)
        {
            Namespace(name, $"ns={name}");
        }

        return this;
    }

    /// <summary>One Pod per line, in the format described on the class.</summary>
    public Scenario Pods(string lines)
    {
        foreach (var line in lines.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            Pod(line);
        }

        return this;
    }

    public Scenario Pod(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (ns, name) = Split(words[0]);
        var labels = new List<string>();
        var ips = new List<string>();
        var ports = new List<(string? Name, string Number, string Protocol)>();
        var hostNetwork = false;
        foreach (var word in words.Skip(1))
        {
            if (word == "hostNetwork")
            {
                hostNetwork = true;
            }
            else if (word.StartsWith("ip=", StringComparison.Ordinal))
            {
                ips.Add(word[3..]);
            }
            else if (word.StartsWith("port=", StringComparison.Ordinal))
            {
                var text = word[5..];
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                var portName = colon < 0 ? null : text[..colon];
                var rest = colon < 0 ? text : text[(colon + 1)..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                ports.Add((portName, slash < 0 ? rest : rest[..slash], slash < 0 ? "TCP" : rest[(slash + 1)..]));
            }
            else
            {
                labels.Add(word);
            }
        }

        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ").Append(name).Append("\n  namespace: ").Append(ns).Append('\n');
        AppendLabels(yaml, "  ", labels);
        yaml.Append("spec:\n");
        if (hostNetwork)
        {
            yaml.Append("  hostNetwork: true\n");
        }

        yaml.Append("  containers:\n  - name: main\n    image: registry.k8s.io/pause:3.10\n");
        if (ports.Count > 0)
        {
            yaml.Append("    ports:\n");
            foreach (var (portName, number, protocol) in ports)
            {
                yaml.Append("    - containerPort: ").Append(number).Append("\n      protocol: ").Append(protocol).Append('\n');
                if (portName is not null)
                {
                    yaml.Append("      name: ").Append(portName).Append('\n');
                }
            }
        }

        if (ips.Count > 0)
        {
            yaml.Append("status:\n  phase: Running\n  podIP: \"").Append(ips[0]).Append("\"\n  podIPs:\n");
            foreach (var ip in ips)
            {
                yaml.Append("  - ip: \"").Append(ip).Append("\"\n");
            }
        }

        documents.Add(yaml.ToString());
        return this;
    }

    /// <summary>A NetworkPolicy <paramref name="id"/> (<c>namespace/name</c>) whose spec is <paramref name="spec"/>.</summary>
    public Scenario Policy(string id, string spec)
    {
        var (ns, name) = Split(id);
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ").Append(name)
            .Append("\n  namespace: ").Append(ns).Append("\nspec:\n");
        foreach (var line in spec.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            yaml.Append("  ").Append(line).Append('\n');
        }

        documents.Add(yaml.ToString());
        return this;
    }

    /// <summary>Any manifest, as written (a Deployment, a List, ...).</summary>
    public Scenario Manifest(string yaml)
    {
        documents.Add(yaml);
        return this;
    }

    public Scenario With(EvaluationOptions value)
    {
        options = value;
        return this;
    }

    public string Yaml => string.Join("---\n", documents.Select(d => d.EndsWith('\n') ? d : d + "\n"));

    /// <summary>Loads the manifests (asserting no diagnostics) and builds the evaluator.</summary>
    public Evaluated Build()
    {
        var result = ManifestLoader.LoadText("scenario.yaml", Yaml);
        Assert.True(result.Diagnostics.IsEmpty,
            $"the scenario's manifests should load cleanly:\n{string.Join("\n", result.Diagnostics)}\n---\n{Yaml}");
        return new Evaluated(PolicyEvaluator.Create(result.Cluster, options));
    }

    private static (string Namespace, string Name) Split(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return (id[..slash], id[(slash + 1)..]);
    }

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static void AppendLabels(StringBuilder yaml, string indent, IReadOnlyCollection<string> labels)
    {
        if (labels.Count == 0)
        {
            return;
        }

        yaml.Append(indent).Append("labels:\n");
        foreach (var label in labels)
        {
            var eq = label.IndexOf('=', StringComparison.Ordinal);
            yaml.Append(indent).Append("  ").Append(label[..eq]).Append(": \"").Append(label[(eq + 1)..]).Append("\"\n");
        }
    }
}

/// <summary>
/// A built scenario. <see cref="Eval"/> resolves both ends with <c>TryResolve</c>, evaluates, and checks
/// on every call that <c>IsAllowed</c> and (for two endpoints) <c>ReachabilityMatrix</c> agree with it.
/// </summary>
public sealed class Evaluated(PolicyEvaluator evaluator)
{
    public PolicyEvaluator Evaluator { get; } = evaluator;

    public ConnectionEnd End(string text)
    {
        Assert.True(Evaluator.TryResolve(text, out var end, out var error), error);
        return end!;
    }

    public Verdict Eval(string from, string to, int port, Protocol protocol = Protocol.TCP)
    {
        var source = End(from);
        var destination = End(to);
        var verdict = Evaluator.Evaluate(source, destination, port, protocol);
        var where = $"{from} -> {to} {port}/{protocol}";
        Assert.True(verdict.Allowed == (verdict.Egress.Allowed && verdict.Ingress.Allowed), $"{where}: allowed is egress AND ingress (S8.1)");
        Assert.True(verdict.Allowed == Evaluator.IsAllowed(source, destination, port, protocol), $"{where}: IsAllowed disagrees with Evaluate");
        if (!source.IsExternal && !destination.IsExternal)
        {
            var cell = ReachabilityMatrix.Compute(Evaluator, [new PortProbe(port, protocol)])
                .Get(0, source.EndpointIndex, destination.EndpointIndex);
            Assert.True(cell.Allowed == verdict.Allowed, $"{where}: ReachabilityMatrix disagrees with Evaluate");
            if (!verdict.SelfTraffic)
            {
                Assert.True(cell.Egress == verdict.Egress.Allowed && cell.Ingress == verdict.Ingress.Allowed,
                    $"{where}: ReachabilityMatrix halves disagree with Evaluate");
            }
        }

        return verdict;
    }

    public bool Allowed(string from, string to, int port, Protocol protocol = Protocol.TCP) => Eval(from, to, port, protocol).Allowed;

    /// <summary>The endpoints each source may reach, as <c>"x/a->x/b x/a->y/a ..."</c>, for whole-cluster comparisons.</summary>
    public string AllowedPairs(int port, Protocol protocol = Protocol.TCP)
    {
        var ids = Evaluator.Cluster.Endpoints.Select(e => e.Id).ToList();
        var pairs = from f in ids from t in ids where f != t && Allowed(f, t, port, protocol) select $"{f}->{t}";
        return string.Join(' ', pairs);
    }
}

/// <summary>Verdict assertions whose failure messages carry the evaluator's own explanation.</summary>
public static class Expect
{
    /// <summary>Asserts both halves and, through S8.1, the overall verdict.</summary>
    public static void Halves(Verdict verdict, bool egress, bool ingress)
    {
        var text = Describe(verdict);
        Assert.True(verdict.Egress.Allowed == egress, $"egress should be {Word(egress)}: {text}");
        Assert.True(verdict.Ingress.Allowed == ingress, $"ingress should be {Word(ingress)}: {text}");
        Assert.True(verdict.Allowed == (egress && ingress), $"connection should be {Word(egress && ingress)}: {text}");
    }

    public static void Allowed(Verdict verdict) => Assert.True(verdict.Allowed, $"should be allowed: {Describe(verdict)}");

    public static void Denied(Verdict verdict) => Assert.False(verdict.Allowed, $"should be denied: {Describe(verdict)}");

    /// <summary>The direction is isolated by exactly these policies (S2.1), in this order.</summary>
    public static void IsolatedBy(DirectionVerdict half, params string[] policies)
    {
        Assert.True(half.Isolated, $"{half.Direction} should be isolated: {half.Reason}");
        Assert.Equal(policies, half.IsolatingPolicies.ToArray());
    }

    /// <summary>Exactly these rules (policy, index in its direction's list) allowed the connection (S4.1).</summary>
    public static void AllowedBy(DirectionVerdict half, params (string Policy, int Rule)[] rules)
    {
        Assert.True(half.Allowed, $"{half.Direction} should be allowed: {half.Reason}");
        Assert.Equal(rules.Select(r => new RuleRef(r.Policy, r.Rule)).ToArray(), half.AllowingRules.ToArray());
    }

    /// <summary>The direction is not isolated, so it allows everything with no rule (S2.2).</summary>
    public static void NotIsolated(DirectionVerdict half)
    {
        Assert.True(half.Allowed && !half.Isolated && half.IsolatingPolicies.IsEmpty && half.AllowingRules.IsEmpty,
            $"{half.Direction} should be unrestricted: {half.Reason}");
    }

    public static string Describe(Verdict verdict)
        => $"{verdict.From} -> {verdict.To} {verdict.Port}/{verdict.Protocol}: {Word(verdict.Allowed)}; " +
           $"egress: {verdict.Egress.Reason}; ingress: {verdict.Ingress.Reason}";

    private static string Word(bool allowed) => allowed ? "allowed" : "denied";
}
