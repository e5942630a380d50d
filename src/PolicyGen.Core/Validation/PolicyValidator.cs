using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Validation;

/// <summary>
/// S14: the checks the API server makes when a NetworkPolicy is created
/// (<c>pkg/apis/networking/validation/validation.go</c> and apimachinery name, label and selector
/// validation). Messages follow the API server's wording, with the offending value quoted.
/// </summary>
/// <remarks>
/// Problems come in the order the fields are usually written: metadata.name, metadata.namespace,
/// metadata.labels, metadata.annotations, spec.podSelector, spec.policyTypes, then each ingress and egress rule (peers, then ports). A field
/// is reported before its children. Where the API server stops early (too many policyTypes, an
/// unparseable cidr) the remaining independent checks still run, so one pass shows every problem.
/// </remarks>
public static class PolicyValidator
{
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] Operators =
        [LabelOperators.In, LabelOperators.NotIn, LabelOperators.Exists, LabelOperators.DoesNotExist];
    private static readonly string[] PolicyTypes = [nameof(PolicyDirection.Ingress), nameof(PolicyDirection.Egress)];

    /// <summary>apimachinery's TotalAnnotationSizeLimitB: keys and values of all annotations together, in bytes.</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    public static ImmutableArray<PolicyProblem> Validate(NetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new Problems(policy);

        ValidateMetadata(policy, problems);
        ValidateSelector(policy.PodSelector, "spec.podSelector", problems);
        ValidatePolicyTypes(policy.PolicyTypes, problems);
        ValidateRules(policy.Ingress, "spec.ingress", "from", problems);
        ValidateRules(policy.Egress, "spec.egress", "to", problems);

        return problems.ToImmutable();
    }

    // S14.1
    private static void ValidateMetadata(NetworkPolicy policy, Problems problems)
    {
        if (string.IsNullOrEmpty(policy.Name))
        {
            problems.Error("metadata.name", Required("name or generateName is required"));
        }
        else
        {
            foreach (var error in KubernetesNames.Dns1123SubdomainErrors(policy.Name))
            {
                problems.Error("metadata.name", Invalid(policy.Name, error));
            }
        }

        if (string.IsNullOrEmpty(policy.Namespace))
        {
            problems.Error("metadata.namespace", Required(null));
        }
        else
        {
            foreach (var error in KubernetesNames.Dns1123LabelErrors(policy.Namespace))
            {
                problems.Error("metadata.namespace", Invalid(policy.Namespace, error));
            }
        }

        ValidateLabels(policy, problems);
        ValidateAnnotations(policy, problems);
    }

    // S14.10: apimachinery's ValidateLabels. Keys are qualified names as written; values are label values.
    private static void ValidateLabels(NetworkPolicy policy, Problems problems)
    {
        foreach (var (key, value) in policy.Labels)
        {
            foreach (var error in KubernetesNames.QualifiedNameErrors(key))
            {
                problems.Error("metadata.labels", Invalid(key, error), KeyLocation(policy, "labels", key));
            }

            foreach (var error in KubernetesNames.LabelValueErrors(value))
            {
                problems.Error("metadata.labels", Invalid(value, error), ValueLocation(policy, "labels", key));
            }
        }
    }

    // S14.10: apimachinery's ValidateAnnotations. Keys are qualified names after lower-casing (so
    // upper-case prefixes pass); values are free, but keys and values together are at most 256 KiB
    // counted in UTF-8 bytes, as Go's len() counts them.
    private static void ValidateAnnotations(NetworkPolicy policy, Problems problems)
    {
        long total = 0;
        foreach (var (key, value) in policy.Annotations)
        {
            foreach (var error in KubernetesNames.QualifiedNameErrors(key.ToLowerInvariant()))
            {
                problems.Error("metadata.annotations", Invalid(key, error), KeyLocation(policy, "annotations", key));
            }

            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        if (total > TotalAnnotationSizeLimit)
        {
            problems.Error("metadata.annotations",
                $"Too long: may not be more than {TotalAnnotationSizeLimit.ToString(CultureInfo.InvariantCulture)} bytes "
                + $"(keys and values of all annotations together are {total.ToString(CultureInfo.InvariantCulture)} bytes)");
        }
    }

    private static SourceLocation? KeyLocation(NetworkPolicy policy, string map, string key)
        => policy.FieldLocations.GetValueOrDefault(NetworkPolicy.MetadataKeyPath(map, key)) ?? policy.LocationOf("metadata." + map);

    private static SourceLocation? ValueLocation(NetworkPolicy policy, string map, string key)
        => policy.FieldLocations.GetValueOrDefault(NetworkPolicy.MetadataValuePath(map, key)) ?? KeyLocation(policy, map, key);

    // S14.9. The API server stops after "more than two"; the entries are still checked here.
    private static void ValidatePolicyTypes(ImmutableArray<string>? policyTypes, Problems problems)
    {
        if (policyTypes is not { IsDefault: false } types)
        {
            return;
        }

        if (types.Length > PolicyTypes.Length)
        {
            var list = "[" + string.Join(", ", types.Select(Quote)) + "]";
            problems.Error("spec.policyTypes", $"Invalid value: {list}: may not specify more than two policyTypes");
        }

        for (var i = 0; i < types.Length; i++)
        {
            if (!PolicyTypes.Contains(types[i], StringComparer.Ordinal))
            {
                problems.Error($"spec.policyTypes[{Index(i)}]", NotSupported(types[i], PolicyTypes));
            }
        }
    }

    private static void ValidateRules(ImmutableArray<PolicyRule> rules, string path, string peersField, Problems problems)
    {
        rules = OrEmpty(rules);
        for (var r = 0; r < rules.Length; r++)
        {
            var rulePath = $"{path}[{Index(r)}]";
            var peers = OrEmpty(rules[r].Peers);
            for (var i = 0; i < peers.Length; i++)
            {
                ValidatePeer(peers[i], $"{rulePath}.{peersField}[{Index(i)}]", problems);
            }

            var ports = OrEmpty(rules[r].Ports);
            for (var i = 0; i < ports.Length; i++)
            {
                ValidatePort(ports[i], $"{rulePath}.ports[{Index(i)}]", problems);
            }
        }
    }

    // S14.6
    private static void ValidatePeer(PolicyPeer peer, string path, Problems problems)
    {
        var kinds = (peer.PodSelector is null ? 0 : 1) + (peer.NamespaceSelector is null ? 0 : 1) + (peer.IpBlock is null ? 0 : 1);
        if (kinds == 0)
        {
            problems.Error(path, Required("must specify a peer"));
        }
        else if (kinds > 1 && peer.IpBlock is not null)
        {
            problems.Error(path, "Forbidden: may not specify both ipBlock and another peer");
        }

        if (peer.PodSelector is not null)
        {
            ValidateSelector(peer.PodSelector, path + ".podSelector", problems);
        }

        if (peer.NamespaceSelector is not null)
        {
            ValidateSelector(peer.NamespaceSelector, path + ".namespaceSelector", problems);
        }

        if (peer.IpBlock is not null)
        {
            ValidateIpBlock(peer.IpBlock, path + ".ipBlock", problems);
        }
    }

    // S14.7
    private static void ValidateIpBlock(IpBlock block, string path, Problems problems)
    {
        var cidrPath = path + ".cidr";
        Cidr? cidr = null;
        if (string.IsNullOrEmpty(block.Cidr))
        {
            problems.Error(cidrPath, Required(null));
        }
        else
        {
            cidr = ParseCidr(block.Cidr, cidrPath, problems);
        }

        var except = OrEmpty(block.Except);
        for (var i = 0; i < except.Length; i++)
        {
            var exceptPath = $"{path}.except[{Index(i)}]";
            var inner = ParseCidr(except[i] ?? "", exceptPath, problems);
            if (inner is { } e && cidr is { } outer && !outer.IsStrictSupersetOf(e))
            {
                problems.Error(exceptPath, Invalid(except[i], "must be a strict subset of `cidr`"));
            }
        }
    }

    /// <summary>Reports an unparseable CIDR as an error and a non-canonical one as a warning.</summary>
    private static Cidr? ParseCidr(string text, string path, Problems problems)
    {
        if (!Cidr.TryParse(text, out var cidr, out var canonical))
        {
            problems.Error(path, Invalid(text, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
            return null;
        }

        if (Cidr.IsIPv4MappedText(text))
        {
            // As the API server with StrictIPCIDRValidation (beta, on by default); without the gate it
            // only warns, and Go-based CNIs then enforce the IPv4 block (see docs/semantics.md).
            problems.Error(path, Invalid(text, $"must not have an IPv4-mapped IPv6 address (CNIs read it as {cidr.AsGoReadsIPv4()})"));
            return null;
        }

        if (!canonical)
        {
            // The address alone, as a /32 or /128, tells whether host bits were set.
            var address = text[..text.IndexOf('/', StringComparison.Ordinal)];
            var hostBits = Cidr.TryParse($"{address}/{cidr.Bits.ToString(CultureInfo.InvariantCulture)}", out var host, out _)
                && host.Network != cidr.Network;
            var what = hostBits ? $"CIDR value {Quote(text)} has bits set beyond the prefix length" : $"non-standard CIDR value {Quote(text)}";
            problems.Warning(path, $"{what}: should be written in canonical form {Quote(cidr.ToString())}");
        }

        return cidr;
    }

    // S14.2 - S14.5
    private static void ValidatePort(PolicyPort port, string path, Problems problems)
    {
        if (port.Protocol is { } protocol && !ProtocolNames.TryParse(protocol, out _))
        {
            problems.Error(path + ".protocol", NotSupported(protocol, Protocols));
        }

        var endPortPath = path + ".endPort";
        if (port.Port is null)
        {
            if (port.EndPort is { } endPort)
            {
                problems.Error(endPortPath, Invalid(endPort, "may not be specified when `port` is not specified"));
            }
        }
        else if (port.Port.Number is { } number)
        {
            if (!IsPortNumber(number))
            {
                problems.Error(path + ".port", Invalid(number, "must be between 1 and 65535, inclusive"));
            }

            if (port.EndPort is { } endPort)
            {
                if (endPort < number)
                {
                    problems.Error(endPortPath, Invalid(endPort, "must be greater than or equal to `port`"));
                }

                if (!IsPortNumber(endPort))
                {
                    problems.Error(endPortPath, Invalid(endPort, "must be between 1 and 65535, inclusive"));
                }
            }
        }
        else
        {
            var name = port.Port.Name ?? "";
            var numeric = name.Length > 0 && name.All(char.IsAsciiDigit);
            foreach (var error in KubernetesNames.IanaSvcNameErrors(name))
            {
                var message = numeric
                    ? error + $"; a quoted number is a port name: to mean port {name}, write it unquoted (port: {name})"
                    : error;
                problems.Error(path + ".port", Invalid(name, message));
            }

            if (port.EndPort is { } endPort)
            {
                problems.Error(endPortPath, Invalid(endPort, "may not be specified when `port` is non-numeric"));
            }
        }
    }

    private static bool IsPortNumber(int port) => port is >= 1 and <= 65535;

    // S14.8. Like the API server, matchLabels problems are reported on the matchLabels field itself.
    private static void ValidateSelector(LabelSelector selector, string path, Problems problems)
    {
        var labelsPath = path + ".matchLabels";
        foreach (var (key, value) in selector.MatchLabels)
        {
            foreach (var error in KubernetesNames.QualifiedNameErrors(key))
            {
                problems.Error(labelsPath, Invalid(key, error));
            }

            foreach (var error in KubernetesNames.LabelValueErrors(value ?? ""))
            {
                problems.Error(labelsPath, Invalid(value ?? "", error));
            }
        }

        var expressions = OrEmpty(selector.MatchExpressions);
        for (var i = 0; i < expressions.Length; i++)
        {
            var expression = expressions[i];
            var expressionPath = $"{path}.matchExpressions[{Index(i)}]";
            foreach (var error in KubernetesNames.QualifiedNameErrors(expression.Key ?? ""))
            {
                problems.Error(expressionPath + ".key", Invalid(expression.Key ?? "", error));
            }

            var values = OrEmpty(expression.Values);
            switch (expression.Operator)
            {
                case LabelOperators.In or LabelOperators.NotIn:
                    if (values.IsEmpty)
                    {
                        problems.Error(expressionPath + ".values", Required("must be specified when `operator` is 'In' or 'NotIn'"));
                    }

                    break;
                case LabelOperators.Exists or LabelOperators.DoesNotExist:
                    if (!values.IsEmpty)
                    {
                        problems.Error(expressionPath + ".values", "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }

                    break;
                default:
                    problems.Error(expressionPath + ".operator", NotSupported(expression.Operator ?? "", Operators));
                    break;
            }

            for (var j = 0; j < values.Length; j++)
            {
                foreach (var error in KubernetesNames.LabelValueErrors(values[j] ?? ""))
                {
                    problems.Error($"{expressionPath}.values[{Index(j)}]", Invalid(values[j] ?? "", error));
                }
            }
        }
    }

    private static string Required(string? detail) => detail is null ? "Required value" : "Required value: " + detail;

    private static string Invalid(string value, string detail) => $"Invalid value: {Quote(value)}: {detail}";

    private static string Invalid(int value, string detail)
        => $"Invalid value: {value.ToString(CultureInfo.InvariantCulture)}: {detail}";

    private static string NotSupported(string value, IEnumerable<string> supported)
        => $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}";

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    /// <summary>Quotes a value as Go's %q does for the texts seen here: backslash escapes, ASCII-safe.</summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    private sealed class Problems(NetworkPolicy policy)
    {
        private readonly ImmutableArray<PolicyProblem>.Builder items = ImmutableArray.CreateBuilder<PolicyProblem>();

        public void Error(string path, string message)
            => items.Add(new PolicyProblem(path, message, Severity.Error, policy.LocationOf(path)));

        /// <summary>An error at a known place inside the field (a label's key or value).</summary>
        public void Error(string path, string message, SourceLocation? location)
            => items.Add(new PolicyProblem(path, message, Severity.Error, location));

        public void Warning(string path, string message)
            => items.Add(new PolicyProblem(path, message, Severity.Warning, policy.LocationOf(path)));

        public ImmutableArray<PolicyProblem> ToImmutable() => items.ToImmutable();
    }
}
