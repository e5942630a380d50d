using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Intent;

/// <summary>
/// Typed access to the intent's node tree: a mapping with only its allowed keys, a list, a value,
/// a boolean, labels, a name, a CIDR, a port range. Each accessor reports a wrong shape with the
/// node's file:line:col and a hint, and answers null (or empty) so that binding goes on and one run
/// reports every mistake. It collects the diagnostics of the whole bind.
/// </summary>
internal sealed class IntentNodeReader
{
    /// <summary>Words users reach for that NetworkPolicy v1 cannot express, with what to do instead.</summary>
    private static readonly Dictionary<string, string> Unenforceable = new(StringComparer.Ordinal)
    {
        ["fqdn"] = "NetworkPolicy v1 cannot match DNS names: pin the addresses in a named network (networks: {stripe: [198.51.100.0/24]}) per environment and use {network: stripe}",
        ["deny"] = "NetworkPolicy v1 has no deny rules: traffic is denied by isolating the pods (defaultDeny) and allowing only what is declared",
        ["action"] = "NetworkPolicy v1 has no deny rules or actions: everything not declared is denied once a pod is isolated",
        ["http"] = "NetworkPolicy v1 works at L3/L4 and cannot match HTTP paths, methods or headers; use a service mesh policy for L7",
        ["paths"] = "NetworkPolicy v1 works at L3/L4 and cannot match HTTP paths; use a service mesh policy for L7",
        ["methods"] = "NetworkPolicy v1 works at L3/L4 and cannot match HTTP methods; use a service mesh policy for L7",
        ["icmp"] = "NetworkPolicy v1 only covers TCP, UDP and SCTP",
    };

    private readonly ImmutableArray<Diagnostic>.Builder diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();

    public ImmutableArray<Diagnostic> Diagnostics => diagnostics.ToImmutable();

    public bool HasErrors => diagnostics.HasErrors();

    public void Error(string code, string message, SourceNode node, string? hint = null)
        => diagnostics.Add(Diagnostic.Error(code, message, node.Location, hint));

    public void Add(Diagnostic diagnostic) => diagnostics.Add(diagnostic);

    /// <summary>Names the file the node was written in: an overlay's items point at the overlay, not the base.</summary>
    public static IntentSource Source(string pointer, SourceNode node) => new(node.Location.File, pointer, node.Location);

    /// <summary>Not written, or written empty: a mistyped value is reported as such, not also as missing.</summary>
    public static bool IsAbsent(SourceNode? node) => node is null or ScalarNode { IsNull: true };

    /// <summary>
    /// The peer key <paramref name="key"/> is a word NetworkPolicy v1 cannot enforce: reported with
    /// what to do instead (true), so the peer is not also reported as unknown.
    /// </summary>
    public bool ReportUnenforceable(ScalarNode key, string what)
    {
        if (!Unenforceable.TryGetValue(key.Value, out var why))
        {
            return false;
        }

        Error(DiagnosticCodes.IntentUnenforceable, $"{what}: \"{key.Value}\" cannot be enforced by NetworkPolicy v1", key, why);
        return true;
    }

    public MappingNode? Map(SourceNode? node, string what, string[]? allowedKeys)
    {
        switch (node)
        {
            case null:
            case ScalarNode { IsNull: true }:
                return null;
            case MappingNode map:
                if (allowedKeys is not null)
                {
                    CheckKeys(map, what, allowedKeys);
                }

                return map;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a mapping (key: value), found {Describe(node)}", node,
                    "write key: value pairs here, one per line indented below, or as {key: value}");
                return null;
        }
    }

    public void CheckKeys(MappingNode map, string what, string[] allowed)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!allowed.Contains(key.Value) && Unenforceable.TryGetValue(key.Value, out var why))
            {
                Error(DiagnosticCodes.IntentUnenforceable, $"{what}: \"{key.Value}\" cannot be enforced by NetworkPolicy v1", key, why);
            }
            else if (!allowed.Contains(key.Value))
            {
                Error(DiagnosticCodes.IntentUnknownKey, $"{what}: unknown key \"{key.Value}\"", key,
                    NameSuggestions.Suggest(key.Value, allowed) ?? $"the keys here are: {string.Join(", ", allowed.Where(k => !Unenforceable.ContainsKey(k)))}");
            }
        }
    }

    public ImmutableArray<SourceNode> Seq(SourceNode node, string what, string? expected = null)
    {
        switch (node)
        {
            case SequenceNode seq:
                return seq.Items;
            case ScalarNode { IsNull: true }:
                return [];
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected {expected ?? "a list"}, found {Describe(node)}", node,
                    "write a YAML list: one '- item' per line, or [a, b]");
                return [];
        }
    }

    public string? Text(SourceNode? node, string what)
    {
        switch (node)
        {
            case null:
            case ScalarNode { IsNull: true }:
                return null;
            case ScalarNode s:
                return s.Value;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a value, found {Describe(node)}", node,
                    "write a single value here, not a list or mapping");
                return null;
        }
    }

    public bool? Bool(SourceNode? node, string what)
    {
        var text = Text(node, what);
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected true or false, found \"{text}\"", node!, "write true or false");
                return null;
        }
    }

    public ImmutableSortedDictionary<string, string> LabelMap(SourceNode node, string what)
    {
        var map = Map(node, what, null);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map?.Entries ?? [])
        {
            var text = Text(value, $"{what}.{key.Value}") ?? "";
            foreach (var problem in KubernetesNames.QualifiedNameErrors(key.Value))
            {
                Error(DiagnosticCodes.IntentBadName, $"{what}: label key \"{key.Value}\": {problem}", key,
                    "a label key is a name of at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit, optionally after a DNS subdomain and '/' (e.g. app.kubernetes.io/name)");
            }

            foreach (var problem in KubernetesNames.LabelValueErrors(text))
            {
                Error(DiagnosticCodes.IntentBadName, $"{what}: label value \"{text}\": {problem}", value,
                    "a label value is empty or at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit");
            }

            builder[key.Value] = text;
        }

        return builder.ToImmutable();
    }

    public void CheckName(string name, SourceNode node, string what, bool subdomain)
    {
        var problems = subdomain ? KubernetesNames.Dns1123SubdomainErrors(name) : KubernetesNames.Dns1123LabelErrors(name);
        foreach (var problem in problems)
        {
            Error(DiagnosticCodes.IntentBadName, $"{what}: \"{name}\" is not a valid name: {problem}", node,
                "use lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
    }

    public Cidr? ParseCidr(SourceNode node, string what)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        if (!Cidr.TryParse(text, out var cidr, out var canonical))
        {
            var hint = IPAddress.TryParse(text, out var ip)
                ? $"a single address is written with a prefix: {ip}/{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}"
                : "write an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32";
            Error(DiagnosticCodes.IntentBadCidr, $"{what}: \"{text}\" is not a CIDR", node, hint);
            return null;
        }

        if (Cidr.IsIPv4MappedText(text))
        {
            Error(DiagnosticCodes.IntentBadCidr, $"{what}: \"{text}\" is an IPv4-mapped IPv6 CIDR, which CNIs read as IPv4 {cidr.AsGoReadsIPv4()}", node,
                $"write the IPv4 block itself (e.g. {cidr.AsGoReadsIPv4()}); the API server rejects IPv4-mapped addresses under StrictIPCIDRValidation");
            return null;
        }

        if (!canonical)
        {
            Error(DiagnosticCodes.IntentBadCidr, $"{what}: \"{text}\" has bits set beyond its prefix or is not written canonically", node,
                $"write {cidr}, the block it stands for");
            return null;
        }

        return cidr;
    }

    public PortRange? ParsePortRange(SourceNode node, string what)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        if (!PortRangeText.TryParse(text, out var range))
        {
            Error(DiagnosticCodes.IntentBadPort, $"{what}: \"{text}\" is not a port", node,
                "write N/PROTO or A-B/PROTO with ports 1-65535 and PROTO TCP, UDP or SCTP, e.g. 8080/TCP, 53/UDP, 7000-7100/TCP");
            return null;
        }

        return range;
    }

    /// <summary>A port written as a name (<c>http</c>), not a number: resolved against an app's ports.</summary>
    public static bool IsPortName(SourceNode item)
        => (item is ScalarNode { Quoted: false } s && s.Value.Length > 0 && !char.IsAsciiDigit(s.Value[0])) || (item is ScalarNode { Quoted: true } q && !char.IsAsciiDigit(q.Value.FirstOrDefault()));

    public static string Describe(SourceNode node) => node switch
    {
        MappingNode => "a mapping",
        SequenceNode => "a list",
        ScalarNode s => $"\"{s.Value}\"",
        _ => "something else",
    };
}
