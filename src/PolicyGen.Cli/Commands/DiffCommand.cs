using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Diff;
using PolicyGen.Git;
using PolicyGen.Manifests;
using PolicyGen.Model;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen diff OLD NEW</c>: the flows a change adds and removes, as a review gate.</summary>
internal static class DiffCommand
{
    public static Command Create(CommandConsole console)
    {
        var old = new Argument<string>("old") { Description = "OLD: an intent file, a file or directory of NetworkPolicies, - (stdin), or git:REF:PATH." };
        var now = new Argument<string>("new") { Description = "NEW: the same kinds of input as OLD." };
        var env = new Option<string?>("--env", "-e") { Description = "Build both intents with environments/ENV.yaml merged (as npgen build --env)." };
        var oldEnv = new Option<string?>("--old-env") { Description = "Environment for OLD only (overrides --env)." };
        var newEnv = new Option<string?>("--new-env") { Description = "Environment for NEW only (overrides --env)." };
        var overlays = new Option<string[]>("--overlay") { Description = "Overlay file merged into both intents after the environment; repeatable." };
        var oldOverlays = new Option<string[]>("--old-overlay") { Description = "Overlay file for OLD only (after --overlay); repeatable." };
        var newOverlays = new Option<string[]>("--new-overlay") { Description = "Overlay file for NEW only (after --overlay); repeatable." };
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "Manifests with the real Namespaces and workloads (file, directory or -): answers name them. Their NetworkPolicies are not part of either side. Repeatable.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--output", "-o") { Description = "Output format: text, md (a table for a pull-request comment) or json (kind ConnectivityDiffReport).", DefaultValueFactory = _ => "text" }
            .AcceptOnlyFromAmong("text", "md", "json");
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when NEW allows a flow OLD did not (widen) or on any change (any). Default never: exit 0 whatever the diff.",
            DefaultValueFactory = _ => "never",
        }.AcceptOnlyFromAmong("widen", "any", "never");
        var templates = new Option<string?>("--templates") { Description = "Render both intents with the templates in DIR instead of the bundled ones (as npgen build --templates)." };
        var repo = new Option<string?>("--repo") { Description = "For git:REF:PATH: a directory inside the repository to read (default: the current directory)." };

        var command = new Command("diff", """
            Compare what two versions of a network configuration allow: the flows NEW allows that OLD
            did not (added, +) and the flows OLD allowed that NEW does not (removed, -), each a source,
            a destination and every port that changed between them. Both sides are evaluated on one
            set of test pods and addresses (the apps, namespaces, labels and peers of both, plus any
            real workloads from -f), so policies that were only moved, split or renamed show as no
            change: connectivity is compared, not objects.

            OLD and NEW are each one of:
              intents.yaml          an intent file, built (and proved) as npgen build does
              DIR or FILE           NetworkPolicies, e.g. a build output directory
              -                     NetworkPolicies on stdin (one side at most)
              git:REF:PATH          PATH as commit REF holds it (git:origin/main:apps/shop), read from
                                    the repository containing the current directory (or --repo);
                                    PATH is from the repository root, or from here with ./

            Exit codes: 0 the comparison ran, whatever it found (unless --fail-on); 1 with --fail-on
            widen when a flow was added, or --fail-on any on any change; 2 bad input (a side does not
            build or cannot be read); 4 the repository, revision or path of git:REF:PATH not found.

            Examples:
              # What does this branch change, compared with main?
              npgen diff git:origin/main:examples/shop/intents.yaml examples/shop/intents.yaml --env prod

              # Gate a pull request: a Markdown table for the comment, exit 1 when access widens
              npgen diff git:origin/main:apps/shop apps/shop -o md --fail-on widen > diff.md

              # dev against prod of one intent, answered for the real workloads
              npgen diff examples/shop/intents.yaml examples/shop/intents.yaml --old-env dev --new-env prod -f examples/shop/manifests/

              # The live cluster's policies against what is about to be applied
              kubectl get netpol -A -o yaml | npgen diff - build/ -o json
            """)
        {
            old, now, env, oldEnv, newEnv, overlays, oldOverlays, newOverlays, templates, files, output, failOn, repo,
        };

        command.SetAction(result =>
        {
            var specs = new List<DiffSideSpec>();
            foreach (var (argument, label) in new[] { (old, "OLD"), (now, "NEW") })
            {
                var (spec, error) = DiffSideSpec.Parse(result.GetValue(argument)!);
                if (spec is null)
                {
                    console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.DiffBadSide, $"{label}: {error}", null,
                        "write git:REF:PATH, e.g. git:origin/main:apps/shop or git:HEAD~1:intents.yaml"));
                    return ExitCodes.BadInput;
                }

                specs.Add(spec);
            }

            var manifestPaths = result.GetValue(files) ?? [];
            if (specs.Count(s => s.Kind == DiffSideKind.StandardInput) + (manifestPaths.Contains("-") ? 1 : 0) > 1)
            {
                console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.DiffBadSide, "standard input (-) can be read once: as OLD, as NEW or as -f, not twice", null,
                    "save one of them to a file, or use a process substitution: -f <(kubectl get ns,pods -A -o yaml)"));
                return ExitCodes.BadInput;
            }

            var shared = result.GetValue(overlays) ?? [];
            var sideOptions = new[]
            {
                new DiffSideOptions { Environment = result.GetValue(oldEnv) ?? result.GetValue(env), Overlays = [.. shared, .. result.GetValue(oldOverlays) ?? []], TemplatesDirectory = result.GetValue(templates),
                    SideSpecific = result.GetValue(oldEnv) is not null || (result.GetValue(oldOverlays) ?? []).Length > 0 },
                new DiffSideOptions { Environment = result.GetValue(newEnv) ?? result.GetValue(env), Overlays = [.. shared, .. result.GetValue(newOverlays) ?? []], TemplatesDirectory = result.GetValue(templates),
                    SideSpecific = result.GetValue(newEnv) is not null || (result.GetValue(newOverlays) ?? []).Length > 0 },
            };

            var cwd = console.CurrentDirectory;
            LibGit2RevisionReader? reader = null;
            try
            {
                using var progress = ProgressReporter.Start("diff", console);
                var sides = new DiffSide[2];
                for (var i = 0; i < 2; i++)
                {
                    var label = i == 0 ? "OLD" : "NEW";
                    progress.Stage($"loading {label}", 0.15);
                    var load = DiffSideLoader.Load(specs[i], label, sideOptions[i], () => console.In.ReadToEnd(),
                        () => reader ??= new LibGit2RevisionReader(result.GetValue(repo) ?? cwd, cwd));
                    foreach (var message in load.Messages)
                    {
                        console.Error.WriteLine(message);
                    }

                    if (load.Side is null)
                    {
                        return load.Failure == DiffFailure.Git ? ExitCodes.GitFailed : ExitCodes.BadInput;
                    }

                    sides[i] = load.Side;
                }

                Cluster? workloads = null;
                if (manifestPaths.Length > 0)
                {
                    progress.Stage("reading manifests", 0.1);
                    workloads = LoadWorkloads(manifestPaths, console);
                    if (workloads is null)
                    {
                        return ExitCodes.BadInput;
                    }
                }

                progress.Stage("comparing", 0.6);
                var report = PolicySetDiff.Compare(sides[0], sides[1], workloads, progress);
                progress.Stage("writing", 0);
                console.Out.Write(result.GetValue(output) switch
                {
                    "json" => DiffReportFormatter.Json(report),
                    "md" => DiffReportFormatter.Markdown(report),
                    _ => DiffReportFormatter.Text(report),
                });
                return result.GetValue(failOn) switch
                {
                    "widen" when report.Widened => ExitCodes.CheckFailed,
                    "any" when !report.Changes.IsEmpty => ExitCodes.CheckFailed,
                    _ => ExitCodes.Ok,
                };
            }
            finally
            {
                reader?.Dispose();
            }
        });
        return command;
    }

    /// <summary>The namespaces and pods of -f; null (after the errors) when the input has errors.</summary>
    private static Cluster? LoadWorkloads(string[] paths, CommandConsole console)
    {
        var (sources, missing) = ManifestFiles.Read(paths, () => console.In.ReadToEnd());
        var loaded = ManifestLoader.Load(sources);
        var diagnostics = missing.AddRange(loaded.Diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            console.Error.WriteLine(diagnostic);
        }

        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        if (errors > 0)
        {
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.DiffSideUnusable, $"-f: {errors} error{(errors == 1 ? "" : "s")} in the manifests; nothing was compared", null));
            return null;
        }

        if (!loaded.Cluster.Policies.IsEmpty)
        {
            console.Error.WriteLine(Diagnostic.Warning(DiagnosticCodes.DiffManifestPoliciesIgnored,
                $"-f: {loaded.Cluster.Policies.Length} NetworkPolic{(loaded.Cluster.Policies.Length == 1 ? "y" : "ies")} in the manifests ({string.Join(", ", loaded.Cluster.Policies.Take(3).Select(p => p.Id))}{(loaded.Cluster.Policies.Length > 3 ? ", ..." : "")}) belong to neither side and were ignored", null,
                "-f gives the workloads; pass policies as OLD or NEW"));
        }

        return loaded.Cluster with { Policies = [] };
    }
}
