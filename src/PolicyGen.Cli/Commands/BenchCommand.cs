using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PolicyGen.Cli.Output;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Validation;
using PolicyGen.Workloads;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen bench gen</c>: seeded synthetic workloads for the benchmarks and the property tests.</summary>
internal static class BenchCommand
{
    /// <summary>Above this many endpoints the canonical digest (endpoints² × probes cells) is not computed by default.</summary>
    private const int DigestLimit = 20_000;

    public static Command Create(CommandConsole console)
    {
        var bench = new Command("bench", """
            Benchmark tools: generate seeded synthetic workloads (npgen bench gen).

            Examples:
              npgen bench gen --preset S --seed 1 -o /tmp/s
              npgen bench gen --help
            """);
        bench.Add(CreateGen(console));
        return bench;
    }

    private static Command CreateGen(CommandConsole console)
    {
        var preset = new Option<string>("--preset")
        {
            Description = "Workload size and shape.",
            DefaultValueFactory = _ => "M",
        }.AcceptOnlyFromAmong([.. WorkloadParameters.PresetNames]);
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the generator (a 64-bit unsigned integer).",
            DefaultValueFactory = _ => 1,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }

                result.AddError($"--seed: \"{text}\" is not a seed; use a whole number from 0 to {ulong.MaxValue}, e.g. --seed 1");
                return 0;
            },
        };
        var output = new Option<string>("--output", "-o") { Description = "Directory to write into (created if needed).", Required = true };
        var set = new Option<string[]>("--set")
        {
            Description = $"Change one parameter: key=value; repeatable. Keys: {string.Join(", ", WorkloadParameters.Keys)}.",
            Arity = ArgumentArity.OneOrMore,
        };
        var sweep = new Option<string?>("--sweep")
        {
            Description = "key=v1,v2,...: one workload per value, in DIR/<key>-<value>/ (e.g. replicas=1,2,4 or apps=1000,2000,4000).",
        };
        var digest = new Option<string>("--digest")
        {
            Description = $"Compute the SHA-256 of the canonical reachability output: auto (up to {DigestLimit:N0} endpoints), always or never.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "always", "never");
        var style = new Option<string>("--style")
        {
            Description = "How the manifests are written: plain (short objects, one file per kind) or kubectl (one List as `kubectl get pods,ns,netpol,deploy,rs -A` prints it: managedFields, status, env, volumes, owner references, the Deployments and ReplicaSets).",
            DefaultValueFactory = _ => "plain",
        }.AcceptOnlyFromAmong("plain", "kubectl");
        var format = new Option<string>("--format")
        {
            Description = "With --style kubectl: json (as -o json prints it) or yaml (as -o yaml).",
            DefaultValueFactory = _ => "json",
        }.AcceptOnlyFromAmong("json", "yaml");

        var command = new Command("gen", """
            Generate a synthetic workload from a seed: an intent file for its apps (intent.yaml),
            Namespaces, Pods (or workloads) and NetworkPolicies (manifests/*.yaml), and
            manifest.json with the parameters, object counts, the expected number of identities and
            port classes, and the SHA-256 of the canonical reachability output. The same preset,
            parameters and seed always give byte-identical files.

            Presets: S (100 pods, 10 namespaces, 30 policies), M (10,000 / 500 / 2,000),
            L (150,000 / 10,000 / 50,000), real (5,413 / 604 / 13,678, like a measured cluster),
            unique-labels (no two pods alike), port-soup (many overlapping port ranges),
            wide-selectors (every selector empty), fuzz (tiny clusters using every corner of the rules).

            Examples:
              npgen bench gen --preset S --seed 1 -o /tmp/s
              npgen matrix -f /tmp/s/manifests -o json > /tmp/s/reachability.json
              npgen build /tmp/s/intent.yaml -o /tmp/s/policies/

              # 1,000 apps for timing npgen build
              npgen bench gen --preset M --set apps=1000 -o /tmp/apps-1000

              # The replica sweep behind the scaling goal (identities fixed)
              npgen bench gen --preset M --sweep replicas=1,2,4 -o /tmp/sweep

              # The same cluster as a real dump (kubectl get pods,ns,netpol,deploy,rs -A -o json):
              # tens of MB for 10,000 pods, the same reachability digest as the plain files
              npgen bench gen --preset M --style kubectl --format json -o /tmp/dump-json
              npgen matrix -f /tmp/dump-json/manifests/cluster.json -o json
            """)
        {
            preset, seed, output, set, sweep, digest, style, format,
        };

        command.SetAction(result =>
        {
            var parameters = WorkloadParameters.FromPreset(result.GetValue(preset)!)!;
            foreach (var assignment in result.GetValue(set) ?? [])
            {
                if (!TryApply(ref parameters, assignment, out var error))
                {
                    console.Error.WriteLine($"npgen bench gen: --set {assignment}: {error}");
                    return ExitCodes.BadInput;
                }
            }

            var runs = new List<(string Directory, WorkloadParameters Parameters)>();
            var directory = result.GetValue(output)!;
            if (result.GetValue(sweep) is { } sweepText)
            {
                var equals = sweepText.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || equals == sweepText.Length - 1)
                {
                    console.Error.WriteLine($"npgen bench gen: --sweep \"{sweepText}\" must be key=v1,v2,... (e.g. replicas=1,2,4)");
                    return ExitCodes.BadInput;
                }

                var key = sweepText[..equals];
                foreach (var value in sweepText[(equals + 1)..].Split(','))
                {
                    var swept = parameters;
                    if (!TryApply(ref swept, $"{key}={value}", out var error))
                    {
                        console.Error.WriteLine($"npgen bench gen: --sweep {key}={value}: {error}");
                        return ExitCodes.BadInput;
                    }

                    runs.Add((Path.Combine(directory, $"{key}-{value}"), swept));
                }
            }
            else
            {
                runs.Add((directory, parameters));
            }

            KubectlFormat? kubectl = result.GetValue(style) == "kubectl"
                ? (result.GetValue(format) == "yaml" ? KubectlFormat.Yaml : KubectlFormat.Json)
                : null;
            if (kubectl is null && result.GetResult(format) is { Implicit: false })
            {
                console.Error.WriteLine("npgen bench gen: --format applies to --style kubectl; add --style kubectl (e.g. --style kubectl --format yaml)");
                return ExitCodes.BadInput;
            }

            if (kubectl is not null && (parameters.Objects != "pods" || parameters.Profile == WorkloadProfile.Fuzz))
            {
                console.Error.WriteLine("npgen bench gen: --style kubectl dumps the pods of a cluster; use a preset with pods (S, M, L, real, ...) and drop --set objects=workloads");
                return ExitCodes.BadInput;
            }

            using var progress = ProgressReporter.Start("bench gen", console);
            foreach (var (runDirectory, runParameters) in runs)
            {
                var code = Generate(runDirectory, runParameters, result.GetValue(seed), result.GetValue(digest)!, kubectl, progress, console);
                if (code != ExitCodes.Ok)
                {
                    return code;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool TryApply(ref WorkloadParameters parameters, string assignment, out string? error)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = "write key=value";
            return false;
        }

        var (changed, problem) = parameters.With(assignment[..equals], assignment[(equals + 1)..]);
        error = problem;
        if (changed is null)
        {
            return false;
        }

        parameters = changed;
        return true;
    }

    private static int Generate(string directory, WorkloadParameters parameters, ulong seed, string digestMode, KubectlFormat? kubectl, ProgressReporter progress, CommandConsole console)
    {
        var clock = Stopwatch.StartNew();
        progress.Stage($"generating {parameters.Preset} seed {seed}", 0.2);
        var workload = WorkloadGenerator.Generate(parameters, seed);
        progress.Stage("writing files", 0.2);
        var (files, manifestsSha) = WorkloadFiles.Write(workload, directory, kubectl);
        var identities = WorkloadStatistics.ExpectedIdentities(workload.Cluster);
        var probes = WorkloadStatistics.CanonicalProbes(workload.Cluster);

        WorkloadDigest? digest = null;
        var endpoints = workload.Cluster.Endpoints.Length;
        if (kubectl is not null && (digestMode == "always" || (digestMode == "auto" && endpoints <= DigestLimit)))
        {
            // The dump's pods, namespaces and policies are the plain output's (a test holds them
            // equal), so the digest is the generated cluster's: what reading either must give.
            progress.Stage("computing the reachability digest", 0.6);
            var sha = ReachabilityDigest.Sha256(PolicyEvaluator.Create(workload.Cluster), probes, progress);
            digest = new WorkloadDigest(endpoints, probes.Count, sha,
                $"npgen {typeof(BenchCommand).Assembly.GetName().Version} (fast evaluator, the generated cluster)", null);
        }
        else if (digestMode == "always" || (digestMode == "auto" && endpoints <= DigestLimit))
        {
            // The digest is taken from the files as written, read back like any manifest.
            progress.Stage("reading the manifests back", 0.3);
            var loaded = WorkloadFiles.ReadManifests(directory);
            var invalid = loaded.Cluster.Policies.SelectMany(p => PolicyValidator.Validate(p).Where(x => x.Severity == Diagnostics.Severity.Error)
                .Select(x => x.Format(p))).ToList();
            if (loaded.HasErrors || invalid.Count > 0)
            {
                foreach (var problem in loaded.Diagnostics.Select(d => d.ToString()).Concat(invalid).Take(20))
                {
                    console.Error.WriteLine(problem);
                }

                console.Error.WriteLine($"npgen bench gen: the generated manifests in {directory} do not load cleanly (a generator bug)");
                return ExitCodes.CheckFailed;
            }

            progress.Stage("computing the reachability digest", 0.3);
            var evaluator = PolicyEvaluator.Create(loaded.Cluster);
            var sha = ReachabilityDigest.Sha256(evaluator, probes, progress);
            digest = new WorkloadDigest(endpoints, probes.Count, sha, $"npgen {typeof(BenchCommand).Assembly.GetName().Version} (fast evaluator)",
                OracleDigests.Find(manifestsSha));
        }

        WorkloadFiles.WriteManifest(directory, workload, files, manifestsSha, identities, probes.Count, digest, kubectl);
        var c = workload.Cluster;
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{directory}: {c.Namespaces.Length:N0} namespaces, {c.Endpoints.Length:N0} {(parameters.Objects == "pods" ? "pods" : "workloads")}, {c.Policies.Length:N0} policies, {workload.Apps.Count(a => !a.System):N0} apps; {identities:N0} identities, {probes.Count:N0} port classes; reachability sha256 {digest?.Sha256[..16] ?? "(not computed)"}{(digest?.OracleSha256 is { } o ? (o == digest.Sha256 ? " = oracle" : " != ORACLE " + o[..16]) : "")} ({clock.Elapsed.TotalSeconds:F1} s)"));
        return digest?.OracleSha256 is { } oracle && oracle != digest.Sha256 ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }
}
