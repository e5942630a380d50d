using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Verify;

namespace PolicyGen.Diff;

/// <summary>
/// Compares the connectivity of two sides, whatever each is (intent, policies, a revision), on one
/// witness world: the apps and namespaces of both intents, a pod for every selector either side's
/// policies name, every address range their ipBlocks cut, and the real namespaces and pods given.
/// Policies that only moved or were renamed allow the same flows, so they show as no change.
/// </summary>
public static class PolicySetDiff
{
    /// <param name="workloads">Real namespaces and pods (npgen diff -f); their policies are ignored.</param>
    public static ConnectivityDiffReport Compare(DiffSide old, DiffSide now, Cluster? workloads = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(now);
        var intent = WitnessIntent(old.Intent, now.Intent);
        var apps = old.Apps.Concat(now.Apps).ToImmutableArray();
        var world = Union([workloads ?? new Cluster(), old.Workloads, now.Workloads]);
        var changes = ConnectivityDiff.Compare(intent, apps, old.Policies, now.Policies, world, progress);
        return new ConnectivityDiffReport(old, now, changes, world.Endpoints.Length);
    }

    /// <summary>
    /// One intent whose apps and namespaces stand for both: NEW's first, then OLD's apps that NEW has
    /// no app for (same namespace and selector, or same name). A renamed app keeps one witness.
    /// </summary>
    private static NetworkIntent WitnessIntent(NetworkIntent? old, NetworkIntent? now)
    {
        if (old is null && now is null)
        {
            return Placeholder;
        }

        if (old is null || now is null)
        {
            return (now ?? old)!;
        }

        var apps = now.Apps.ToList();
        foreach (var app in old.Apps)
        {
            if (!apps.Any(a => a.Name == app.Name || (a.Namespace == app.Namespace && a.Selector.SequenceEqual(app.Selector))))
            {
                apps.Add(app);
            }
        }

        return now with
        {
            Apps = [.. apps],
            Namespaces = [.. now.Namespaces.Concat(old.Namespaces.Where(n => !now.Namespaces.Any(m => m.Name == n.Name)))],
            Networks = [.. now.Networks.Concat(old.Networks.Where(n => !now.Networks.Any(m => m.Name == n.Name)))],
            ApiServer = now.ApiServer ?? old.ApiServer,
            Expectations = [],
        };
    }

    /// <summary>
    /// An intent with nothing in it, for two sides of plain policies: its ingress controller is a
    /// pod like any other in no namespace the policies name, so it shows nothing of its own.
    /// </summary>
    private static readonly NetworkIntent Placeholder = new()
    {
        Name = "npgen-diff",
        Source = new IntentSource("<diff>", "", new Diagnostics.SourceLocation("<diff>", 1, 1)),
        Dns = new DnsSettings(false, [], null),
        IngressController = new IngressControllerPreset("npgen-elsewhere", Labels.Of(("npgen.dev/witness", "other")), null),
        DenyIngress = false,
        DenyEgress = false,
    };

    private static Cluster Union(IEnumerable<Cluster> clusters)
    {
        var namespaces = new Dictionary<string, Namespace>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            foreach (var ns in cluster.Namespaces)
            {
                namespaces.TryAdd(ns.Name, ns);
            }

            foreach (var endpoint in cluster.Endpoints)
            {
                endpoints.TryAdd(endpoint.Id, endpoint);
            }
        }

        return new Cluster
        {
            Namespaces = [.. namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal)],
            Endpoints = [.. endpoints.Values.OrderBy(e => e.Id, StringComparer.Ordinal)],
        };
    }
}
