using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Commit;
using PolicyGen.Diagnostics;
using PolicyGen.Git;
using PolicyGen.Output;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen build</c> and <c>npgen verify</c>: intent in, verified NetworkPolicy YAML out.</summary>
internal static class BuildCommand
{
    public static Command Create() => Make("build", """
        Compile an intent file into standard networking.k8s.io/v1 NetworkPolicy YAML, check it with
        the API server's rules, and prove with the core evaluator that it allows exactly what the
        intent allows (and that every expect: holds). Nothing is printed or written unless every
        check passes.

        -o takes a directory (files DIR/<namespace>/<name>.yaml plus DIR/kustomization.yaml), or
        json / yaml for a build report on stdout. Write ./json for a directory of that name. Every
        file records the intent, --env and --overlay it was built from. Files this intent wrote
        earlier for the same build and no longer produces are removed; files it did not write,
        other intents' files and symbolic links are never touched. A directory holding another
        intent's output (or a parent of one), or this intent's output for another environment, is
        refused with exit 2 and nothing is written; --replace-environment replaces the latter
        deliberately. One directory per intent and environment: apps/shop/prod, apps/shop/dev.

        Examples:
          # One YAML stream on stdout, like kustomize build
          npgen build examples/bookstore/intents.yaml

          # The production variant, into a directory for GitOps
          npgen build examples/shop/intents.yaml --env prod -o deploy/netpol/

          # Straight into a cluster
          npgen build examples/shop/intents.yaml --env dev | kubectl apply -f -

          # With your own copy of a template (the build fails if it changes the meaning)
          npgen build intents.yaml --templates my-templates/

          # Switch deploy/netpol/ from the prod build to the dev build on purpose
          npgen build examples/shop/intents.yaml --env dev -o deploy/netpol/ --replace-environment

          # Commit the directory in the Git working tree it is in (only npgen's files), and push
          npgen build intents.yaml -o deploy/netpol/ --commit --push

        --commit stages and commits only the files npgen writes in DIR (never anything else), with a
        message that lists what changed in connectivity; when they already match HEAD it prints
        "up to date" and commits nothing. --push pushes the branch to its upstream (or --remote /
        --branch); when the remote moved, npgen rebuilds its commit on the new tip and retries.
        Exit 4 when a Git operation fails.
        """, verifyOnly: false);

    public static Command CreateVerify() => Make("verify", """
        Prove that the policies generated from an intent file allow exactly what the intent means,
        and that every expect: holds, without printing or writing the policies. Exit 0 when proven,
        1 when a flow or an expectation differs, 2 when the intent has errors.

        With --rendered -f, prove the policies that will really be applied: the NetworkPolicies in a
        rendered stream (kubectl kustomize output, a directory, - for stdin) that carry this intent's
        labels (app.kubernetes.io/managed-by: npgen, npgen.dev/intent) must be exactly the ones it
        generates, and allow exactly what it allows. A policy that kustomize relabelled
        (commonLabels), moved (namespace:), renamed (namePrefix/nameSuffix) or patched fails with
        the object, the field, the likely cause and the fix. Exit 1 on any difference.

        Examples:
          npgen verify examples/shop/intents.yaml
          npgen verify examples/shop/intents.yaml --env prod -o json
          npgen verify intents.yaml --templates my-templates/
          kubectl kustomize --enable-alpha-plugins overlays/prod | npgen verify base/intents.yaml --env prod --rendered -f -
          npgen verify intents.yaml --rendered -f deploy/netpol/
        """, verifyOnly: true);

    private static Command Make(string name, string description, bool verifyOnly)
    {
        var intent = new Argument<string>("intent") { Description = "The intent file (apiVersion: npgen.dev/v1alpha1, kind: NetworkIntent)." };
        var env = new Option<string?>("--env", "-e") { Description = "Merge environments/ENV.yaml (next to the intent file) over the intent." };
        var overlays = new Option<string[]>("--overlay") { Description = "Overlay file to merge after --env; repeatable, applied in order." };
        var templates = new Option<string?>("--templates") { Description = "Directory of .sbn templates that override the bundled ones, file by file." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the proof that the policies allow exactly what the intent allows (not recommended)." };
        var syncWave = SyncWaveOption();
        var commit = new Option<bool>("--commit") { Description = "Commit npgen's files in the -o directory to the Git repository it is in." };
        var push = new Option<bool>("--push") { Description = "With --commit: push the branch afterwards (to its upstream, or --remote/--branch)." };
        var remote = new Option<string?>("--remote") { Description = "With --push: the remote to push to (default: the branch's upstream remote)." };
        var branch = new Option<string?>("--branch") { Description = "With --push: the remote branch to push to (default: the upstream branch)." };
        var git = new GitOptions();
        var output = new Option<string?>("--output", "-o")
        {
            Description = verifyOnly ? "Output format: text (default) or json or yaml." : "A directory to write the files into, or json / yaml for a build report.",
        };
        var command = new Command(name, description) { intent, env, overlays, templates, output };
        var rendered = new Option<bool>("--rendered") { Description = "Check the NetworkPolicies in the -f stream (after kustomize or any other tool) against the intent." };
        var renderedFiles = new Option<string[]>("--filename", "-f")
        {
            Description = "With --rendered: rendered manifests, a file, a directory (*.yaml, *.yml, *.json, recursively) or - for stdin. Repeatable.",
            Arity = System.CommandLine.ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        if (verifyOnly)
        {
            command.Add(rendered);
            command.Add(renderedFiles);
        }
        else
        {
            command.Add(noVerify);
            command.Add(syncWave);
            command.Add(commit);
            command.Add(push);
            command.Add(remote);
            command.Add(branch);
            command.Add(git.ReplaceEnvironment);
            foreach (var option in git.All)
            {
                command.Add(option);
            }
        }

        command.SetAction(result =>
        {
            var outputValue = result.GetValue(output);
            var format = outputValue is "json" or "yaml" ? outputValue : null;
            if (verifyOnly && outputValue is not (null or "text" or "json" or "yaml"))
            {
                Console.Error.WriteLine($"npgen verify: -o \"{outputValue}\" is not a format; use text, json or yaml");
                return ExitCodes.BadInput;
            }

            if (verifyOnly && (result.GetValue(rendered) || result.GetValue(renderedFiles) is { Length: > 0 }))
            {
                if (!result.GetValue(rendered) || result.GetValue(renderedFiles) is not { Length: > 0 } files)
                {
                    Console.Error.WriteLine("npgen verify: --rendered and -f go together: npgen verify INTENT --rendered -f FILE|DIR|-");
                    return ExitCodes.BadInput;
                }

                return RenderedVerifyCommand.Run(result.GetValue(intent)!, new BuildOptions
                {
                    Environment = result.GetValue(env),
                    Overlays = result.GetValue(overlays) ?? [],
                    TemplatesDirectory = result.GetValue(templates),
                }, files, format);
            }

            var directory = !verifyOnly && format is null ? outputValue : null;
            string? wave = PolicyGen.Compile.IntentCompiler.DefaultSyncWave;
            if (!verifyOnly && !TryReadSyncWave(result, syncWave, name, out wave))
            {
                return ExitCodes.BadInput;
            }

            var environment = result.GetValue(env);
            var commitRequested = !verifyOnly && result.GetValue(commit);
            if (!verifyOnly && !commitRequested && (result.GetValue(push) || result.GetValue(remote) is not null || result.GetValue(branch) is not null))
            {
                Console.Error.WriteLine("npgen build: --push, --remote and --branch go with --commit");
                return ExitCodes.BadInput;
            }

            var replaceEnvironment = !verifyOnly && result.GetValue(git.ReplaceEnvironment);
            if (replaceEnvironment && directory is null)
            {
                Console.Error.WriteLine("npgen build: --replace-environment goes with -o DIR (it allows replacing that directory's output for another environment)");
                return ExitCodes.BadInput;
            }

            if (commitRequested && directory is null)
            {
                Console.Error.WriteLine("npgen build: --commit needs -o DIR, a directory inside a Git working tree");
                return ExitCodes.BadInput;
            }

            var build = BuildPipeline.Run(result.GetValue(intent)!, new BuildOptions
            {
                Environment = environment,
                Overlays = result.GetValue(overlays) ?? [],
                TemplatesDirectory = result.GetValue(templates),
                Verify = verifyOnly || !result.GetValue(noVerify),
                SyncWave = wave,
            });
            foreach (var diagnostic in build.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            if (Environment.GetEnvironmentVariable("NPGEN_TIMINGS") == "1")
            {
                Console.Error.Write(build.FormatTimings());
            }

            if (!build.Succeeded)
            {
                var verificationFailed = build.Diagnostics.Any(d => d.Severity == Severity.Error
                    && d.Code is DiagnosticCodes.VerificationMismatch or DiagnosticCodes.ExpectationFailed);
                if (format is not null)
                {
                    Console.Out.Write(Report(BuildReport.Create(build, environment, null, null), format));
                }

                Console.Error.WriteLine(verificationFailed
                    ? $"npgen {name}: verification failed{(verifyOnly ? "" : "; nothing was written")}."
                    : $"npgen {name}: the intent has errors{(verifyOnly ? "" : "; nothing was written")}.");
                return verificationFailed ? ExitCodes.CheckFailed : ExitCodes.BadInput;
            }

            if (commitRequested)
            {
                return Commit(result, build, directory!, environment, git, push, remote, branch, replaceEnvironment);
            }

            WriteResult? written = null;
            if (directory is not null)
            {
                written = OutputDirectoryWriter.Write(directory, BuildOutput.Files(build), new WriteOptions
                {
                    ReplaceEnvironment = replaceEnvironment,
                    Legacy = LegacyEnvironment.FromDirectoryName(directory, build.Intent!.Source.File),
                });
                foreach (var diagnostic in written.Diagnostics)
                {
                    Console.Error.WriteLine(diagnostic);
                }

                if (!written.Succeeded)
                {
                    Console.Error.WriteLine($"npgen build: could not write {directory}");
                    return ExitCodes.BadInput;
                }

                foreach (var replaced in written.Replaced)
                {
                    Console.Error.WriteLine($"{directory}: replaced {replaced} (--replace-environment)");
                }

                Console.Error.WriteLine($"{directory}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted");
            }

            if (format is not null)
            {
                Console.Out.Write(Report(BuildReport.Create(build, environment, directory, written), format));
            }
            else if (verifyOnly)
            {
                var v = build.Verification!;
                Console.Out.WriteLine($"verified: the {build.Policies.Length} {(build.Policies.Length == 1 ? "policy" : "policies")} generated from {Path.GetFileName(build.Intent!.Source.File)}{(environment is null ? "" : $" (env {environment})")} {(build.Policies.Length == 1 ? "allows" : "allow")} exactly what the intent allows");
                Console.Out.WriteLine($"  {v.FlowsChecked:N0} flows between {v.PodWitnesses} witness pods and {v.AddressWitnesses} addresses on {v.Ports} ports; {v.ExpectationsChecked} expectations hold");
            }
            else if (directory is null)
            {
                Console.Out.Write(BuildOutput.Stream(build));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>build -o DIR --commit</c>: write, stage npgen's files, commit, optionally push.</summary>
    private static int Commit(ParseResult result, BuildResult build, string directory, string? environment, GitOptions git,
        Option<bool> push, Option<string?> remote, Option<string?> branch, bool replaceEnvironment)
    {
        var credentials = GitOptions.Credentials(result, git, null);
        var redactor = new SecretRedactor(credentials);
        if (!GitOptions.TryReadSettings(result, git, build.Intent!.Source.File, build.Intent.Name, environment, "build", out var settings)
            || !GitOptions.TryReadTimeout(result, git, "build", out var timeout)
            || !GitOptions.TryReadMaxResponse("build", out var maxResponse))
        {
            return ExitCodes.BadInput;
        }

        using var client = new LibGit2Client(credentials, redactor, timeout, maxResponse);
        var publisher = new PolicyPublisher(client, settings, GitOptions.Progress(redactor, "build"));
        var published = publisher.CommitLocal(build, new LocalCommitRequest(directory, result.GetValue(push), result.GetValue(remote), result.GetValue(branch), replaceEnvironment));
        if (published.Written is { Succeeded: true } written)
        {
            Console.Error.WriteLine($"{directory}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted");
        }

        return GitOptions.Report(published, "text", redactor, "build");
    }

    /// <summary><c>--sync-wave N|none</c>: the Argo CD sync-wave annotation on every generated policy.</summary>
    internal static Option<string> SyncWaveOption() => new("--sync-wave")
    {
        Description = "Argo CD sync wave annotated on every policy (argocd.argoproj.io/sync-wave): an integer, or none to leave it out. Default -1: policies apply before the workloads.",
        DefaultValueFactory = _ => PolicyGen.Compile.IntentCompiler.DefaultSyncWave,
    };

    /// <summary>Reads --sync-wave: an integer (kept as written, without a leading +) or none. Prints the problem and returns false otherwise.</summary>
    internal static bool TryReadSyncWave(ParseResult result, Option<string> option, string command, out string? wave)
    {
        var text = result.GetValue(option) ?? PolicyGen.Compile.IntentCompiler.DefaultSyncWave;
        if (text == "none")
        {
            wave = null;
            return true;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            wave = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }

        wave = null;
        Console.Error.WriteLine($"npgen {command}: --sync-wave \"{text}\" is neither an integer nor none");
        return false;
    }

    private static string Report(OrderedDictionary<string, object?> report, string format)
        => format == "json" ? StructuredText.Json(report) : StructuredText.Yaml(report);
}
