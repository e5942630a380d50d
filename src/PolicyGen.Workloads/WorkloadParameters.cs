using System.Globalization;

namespace PolicyGen.Workloads;

/// <summary>The shape of a synthetic policy mix: which kinds of policy the generator writes.</summary>
public enum WorkloadProfile
{
    /// <summary>The realistic mix (presets S, M, L, real).</summary>
    Standard,

    /// <summary>Every pod carries a label that selectors use, so no two pods fold into one identity (I = P).</summary>
    UniqueLabels,

    /// <summary>Many overlapping port ranges and protocols, so the port space splits into many classes.</summary>
    PortSoup,

    /// <summary>Empty podSelectors and <c>namespaceSelector: {}</c> everywhere: every rule reaches every pod.</summary>
    WideSelectors,

    /// <summary>Tiny random clusters that use every corner of the semantics; the property tests' input.</summary>
    Fuzz,
}

/// <summary>
/// Everything that shapes a generated workload. Presets fill these in; <c>--set key=value</c>
/// changes one. The same parameters and seed always give byte-identical output.
/// </summary>
public sealed record WorkloadParameters
{
    public string Preset { get; init; } = "M";
    public WorkloadProfile Profile { get; init; } = WorkloadProfile.Standard;

    /// <summary>Namespaces in total, including the three system namespaces (kube-system, monitoring, ingress-nginx).</summary>
    public int Namespaces { get; init; } = 500;

    /// <summary>Pods in total (system pods included) when <see cref="Apps"/> is 0; the last app's replicas are trimmed to hit it.</summary>
    public int Pods { get; init; } = 10_000;

    /// <summary>A fixed number of apps (each a Deployment, StatefulSet or DaemonSet); 0 derives it from <see cref="Pods"/>.</summary>
    public int Apps { get; init; }

    /// <summary>Mean of the geometric distribution of replicas per app.</summary>
    public double MeanReplicas { get; init; } = 3;

    /// <summary>Multiplies every app's replicas; the topology, labels and policies stay the same (identities fixed).</summary>
    public int ReplicaScale { get; init; } = 1;

    /// <summary>Zipf exponent of apps per namespace: a few namespaces are large.</summary>
    public double Zipf { get; init; } = 1.1;

    /// <summary>Distinct <c>team</c> namespace labels; 0 means namespaces / 10.</summary>
    public int Teams { get; init; }

    public double StatefulSetShare { get; init; } = 0.1;
    public double DaemonSetShare { get; init; } = 0.02;

    /// <summary>Share of container ports that carry a name (<c>http</c>, <c>grpc</c>, <c>metrics</c>, <c>db</c>).</summary>
    public double NamedPortShare { get; init; } = 0.7;

    public int Policies { get; init; } = 2_000;

    /// <summary>Share of application namespaces with a default-deny policy.</summary>
    public double DefaultDenyShare { get; init; } = 0.6;

    /// <summary>Share of policies without rules (default denies first, then per-app denies): 26 % in the measured real cluster.</summary>
    public double EmptyShare { get; init; } = 0.26;

    // Weights of the kinds of non-empty policy (normalised when drawn).
    public double UpstreamWeight { get; init; } = 0.36;
    public double CrossNamespaceWeight { get; init; } = 0.14;
    public double MonitoringWeight { get; init; } = 0.10;
    public double DnsWeight { get; init; } = 0.10;
    public double CidrWeight { get; init; } = 0.08;
    public double IngressControllerWeight { get; init; } = 0.08;
    public double MatchExpressionsWeight { get; init; } = 0.05;
    public double PortRangeWeight { get; init; } = 0.05;
    public double SameNamespaceWeight { get; init; } = 0.04;

    /// <summary><c>pods</c>: one Pod object per replica (with IPs); <c>workloads</c>: one Deployment/StatefulSet/DaemonSet per app.</summary>
    public string Objects { get; init; } = "pods";

    public static IReadOnlyList<string> PresetNames { get; } = ["S", "M", "L", "real", "unique-labels", "port-soup", "wide-selectors", "fuzz"];

    public static WorkloadParameters? FromPreset(string name) => name switch
    {
        "S" => new() { Preset = "S", Namespaces = 10, Pods = 100, Policies = 30 },
        "M" => new() { Preset = "M", Namespaces = 500, Pods = 10_000, Policies = 2_000 },
        "L" => new() { Preset = "L", Namespaces = 10_000, Pods = 150_000, Policies = 50_000 },
        // The measured cluster: 5,413 pods, 604 namespaces, 13,678 policies (about 23 per namespace).
        "real" => new() { Preset = "real", Namespaces = 604, Pods = 5_413, Policies = 13_678, DefaultDenyShare = 0.8 },
        "unique-labels" => new() { Preset = "unique-labels", Profile = WorkloadProfile.UniqueLabels, Namespaces = 50, Pods = 2_000, Policies = 500 },
        "port-soup" => new() { Preset = "port-soup", Profile = WorkloadProfile.PortSoup, Namespaces = 100, Pods = 2_000, Policies = 1_000 },
        "wide-selectors" => new() { Preset = "wide-selectors", Profile = WorkloadProfile.WideSelectors, Namespaces = 100, Pods = 2_000, Policies = 500 },
        "fuzz" => new() { Preset = "fuzz", Profile = WorkloadProfile.Fuzz, Namespaces = 4, Pods = 24, Policies = 8 },
        _ => null,
    };

    /// <summary>The keys <see cref="With"/> accepts, for help texts and error messages.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "namespaces", "pods", "apps", "meanReplicas", "replicas", "zipf", "teams", "statefulSetShare", "daemonSetShare",
        "namedPortShare", "policies", "defaultDenyShare", "emptyShare", "upstreamWeight", "crossNamespaceWeight",
        "monitoringWeight", "dnsWeight", "cidrWeight", "ingressControllerWeight", "matchExpressionsWeight",
        "portRangeWeight", "sameNamespaceWeight", "objects",
    ];

    /// <summary>Returns a copy with one parameter changed, or an error message. <c>replicas</c> is the replica scale.</summary>
    public (WorkloadParameters? Parameters, string? Error) With(string key, string value)
    {
        int Int() => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        double Real() => double.Parse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        try
        {
            WorkloadParameters result = key switch
            {
                "namespaces" => this with { Namespaces = Int() },
                "pods" => this with { Pods = Int() },
                "apps" => this with { Apps = Int() },
                "meanReplicas" => this with { MeanReplicas = Real() },
                "replicas" => this with { ReplicaScale = Int() },
                "zipf" => this with { Zipf = Real() },
                "teams" => this with { Teams = Int() },
                "statefulSetShare" => this with { StatefulSetShare = Real() },
                "daemonSetShare" => this with { DaemonSetShare = Real() },
                "namedPortShare" => this with { NamedPortShare = Real() },
                "policies" => this with { Policies = Int() },
                "defaultDenyShare" => this with { DefaultDenyShare = Real() },
                "emptyShare" => this with { EmptyShare = Real() },
                "upstreamWeight" => this with { UpstreamWeight = Real() },
                "crossNamespaceWeight" => this with { CrossNamespaceWeight = Real() },
                "monitoringWeight" => this with { MonitoringWeight = Real() },
                "dnsWeight" => this with { DnsWeight = Real() },
                "cidrWeight" => this with { CidrWeight = Real() },
                "ingressControllerWeight" => this with { IngressControllerWeight = Real() },
                "matchExpressionsWeight" => this with { MatchExpressionsWeight = Real() },
                "portRangeWeight" => this with { PortRangeWeight = Real() },
                "sameNamespaceWeight" => this with { SameNamespaceWeight = Real() },
                "objects" when value is "pods" or "workloads" => this with { Objects = value },
                "objects" => throw new FormatException(),
                _ => throw new KeyNotFoundException(),
            };
            return result.Check() is { } problem ? (null, problem) : (result, null);
        }
        catch (KeyNotFoundException)
        {
            return (null, $"unknown parameter \"{key}\"; known: {string.Join(", ", Keys)}");
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return (null, $"{key}: \"{value}\" is not a valid value");
        }
    }

    /// <summary>Null when the parameters make sense, else what is wrong.</summary>
    public string? Check()
    {
        if (Namespaces < 4 || Namespaces > 100_000)
        {
            return "namespaces must be 4..100000 (three are system namespaces)";
        }

        if (Apps < 0 || Apps > 1_000_000 || Pods < 1 || Pods > 2_000_000)
        {
            return "apps must be 0..1000000 and pods 1..2000000";
        }

        if (MeanReplicas < 1 || ReplicaScale is < 1 or > 64 || Policies < 0 || Policies > 1_000_000)
        {
            return "meanReplicas must be >= 1, replicas 1..64 and policies 0..1000000";
        }

        return new[] { StatefulSetShare, DaemonSetShare, NamedPortShare, DefaultDenyShare, EmptyShare }.Any(s => s is < 0 or > 1)
            ? "shares must lie in [0, 1]"
            : null;
    }

    /// <summary>The parameters as name/value pairs in a fixed order, for manifest.json.</summary>
    public IEnumerable<(string Key, object Value)> Describe()
    {
        yield return ("preset", Preset);
        yield return ("profile", Profile switch
        {
            WorkloadProfile.UniqueLabels => "unique-labels",
            WorkloadProfile.PortSoup => "port-soup",
            WorkloadProfile.WideSelectors => "wide-selectors",
            WorkloadProfile.Fuzz => "fuzz",
            _ => "standard",
        });
        yield return ("namespaces", Namespaces);
        yield return ("pods", Pods);
        yield return ("apps", Apps);
        yield return ("meanReplicas", MeanReplicas);
        yield return ("replicas", ReplicaScale);
        yield return ("zipf", Zipf);
        yield return ("teams", Teams);
        yield return ("statefulSetShare", StatefulSetShare);
        yield return ("daemonSetShare", DaemonSetShare);
        yield return ("namedPortShare", NamedPortShare);
        yield return ("policies", Policies);
        yield return ("defaultDenyShare", DefaultDenyShare);
        yield return ("emptyShare", EmptyShare);
        yield return ("upstreamWeight", UpstreamWeight);
        yield return ("crossNamespaceWeight", CrossNamespaceWeight);
        yield return ("monitoringWeight", MonitoringWeight);
        yield return ("dnsWeight", DnsWeight);
        yield return ("cidrWeight", CidrWeight);
        yield return ("ingressControllerWeight", IngressControllerWeight);
        yield return ("matchExpressionsWeight", MatchExpressionsWeight);
        yield return ("portRangeWeight", PortRangeWeight);
        yield return ("sameNamespaceWeight", SameNamespaceWeight);
        yield return ("objects", Objects);
    }
}
