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
        check passes. The intent is a file, a directory (its intents.yaml) or - for stdin.

        -o PATH works as kustomize build -o: an existing directory, or a path ending in /, gets
        one file per policy (DIR/<namespace>/<name>.yaml plus DIR/kustomization.yaml); any other
        path (out.yaml) gets the one YAML stream, written whole or not at all. Every file records
        the intent, --env and --overlay it was built from. Files this intent wrote earlier for the
        same build and no longer produces are removed; files it did not write, other intents'
        files and symbolic links are never touched. A directory holding another intent's output
        (or a parent of one), or this intent's output for another environment, is refused with
        exit 2 and nothing is written; --replace-environment replaces the latter deliberately.

        --report json|yaml prints a build report (what was generated, from which intent line, the
        proof, what was written): on stdout in place of the policies, so write them with -o, or
        put the report in a file with --report-file FILE. Exit 2 on bad input, 1 when the proof fails.

        Examples:
          # One YAML stream on stdout, like kustomize build
          npgen build examples/bookstore/intents.yaml

          # The production variant, one file per policy, for GitOps (note the trailing /)
          npgen build examples/shop/intents.yaml --env prod -o deploy/netpol/

          # One file, written whole (kustomize build -o out.yaml)
          npgen build examples/shop/intents.yaml --env prod -o shop-prod.yaml

          # A directory's intents.yaml; the intent from stdin
          npgen build examples/shop --env dev | kubectl apply -f -
          cat intents.yaml | npgen build -

          # The policies into a directory and the build report on stdout, for CI
          npgen build examples/shop/intents.yaml --env prod -o deploy/netpol/ --report json

          # With your own copy of a template (the build fails if it changes the meaning)
          npgen build intents.yaml --templates my-templates/

          # Switch deploy/netpol/ from the prod build to the dev build on purpose
          npgen build examples/shop/intents.yaml --env dev -o deploy/netpol/ --replace-environment

          # spec.cluster as ClusterNetworkPolicy v1alpha2 instead of the intent's output kind
          npgen build examples/cluster-baseline/intents.yaml --cluster-output ClusterNetworkPolicy

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
        1 when a flow or an expectation differs, 2 when the intent has errors. The intent is a file,
        a directory (its intents.yaml) or - for stdin. -o json|yaml prints a VerifyReport.

        With --rendered -f, prove the policies that will really be applied: the NetworkPolicies in a
        rendered stream (kubectl kustomize output, a directory, - for stdin) that carry this intent's
        labels (app.kubernetes.io/managed-by: npgen, npgen.dev/intent) must be exactly the ones it
        generates, and allow exactly what it allows. A policy that kustomize relabelled
        (commonLabels), moved (namespace:), renamed (namePrefix/nameSuffix) or patched fails with
        the object, the field, the likely cause and the fix. Exit 1 on any difference.

        Examples:
          npgen verify examples/shop/intents.yaml
          npgen verify examples/shop --env prod -o json
          npgen verify intents.yaml --templates my-templates/
          kubectl kustomize --enable-alpha-plugins overlays/prod | npgen verify base/intents.yaml --env prod --rendered -f -
          npgen verify intents.yaml --rendered -f deploy/netpol/
        """, verifyOnly: true);

    private static Command Make(string name, string description, bool verifyOnly)
    {
        var intent = new Argument<string>("intent") { Description = IntentArgument.Description };
        var env = IntentArgument.EnvironmentOption("Merge environments/ENV.yaml (next to the intent file) over the intent; --env alone lists them.");
        var overlays = new Option<string[]>("--overlay") { Description = "Overlay file to merge after --env; repeatable, applied in order." };
        var templates = new Option<string?>("--templates") { Description = "Directory of .sbn templates that override the bundled ones, file by file." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the proof that the policies allow exactly what the intent allows (not recommended)." };
        var syncWave = SyncWaveOption();
        var clusterOutput = new Option<string?>("--cluster-output") { Description = "The kind spec.cluster is written as, over the intent's output: AdminNetworkPolicy (ANP + BANP, v1alpha1) or ClusterNetworkPolicy (v1alpha2)." };
        clusterOutput.AcceptOnlyFromAmong(nameof(PolicyGen.Intent.ClusterOutputKind.AdminNetworkPolicy), nameof(PolicyGen.Intent.ClusterOutputKind.ClusterNetworkPolicy));
        var commit = new Option<bool>("--commit") { Description = "Commit npgen's files in the -o directory to the Git repository it is in." };
        var push = new Option<bool>("--push") { Description = "With --commit: push the branch afterwards (to its upstream, or --remote/--branch)." };
        var remote = new Option<string?>("--remote") { Description = "With --push: the remote to push to (default: the branch's upstream remote)." };
        var branch = new Option<string?>("--branch") { Description = "With --push: the remote branch to push to (default: the upstream branch)." };
        var git = new GitOptions();
        var output = new Option<string?>("--output", "-o")
        {
            Description = verifyOnly
                ? "Output format: text (default), json or yaml (a VerifyReport)."
                : "Where the policies go: DIR/ (or an existing directory) for one file per policy, FILE for one YAML stream. Default: stdout.",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Print a build report (BuildReport) as json or yaml: on stdout in place of the policies, or into --report-file.",
        }.AcceptOnlyFromAmong("json", "yaml");
        var reportFile = new Option<string?>("--report-file") { Description = "Write the --report to this file instead of stdout (json unless --report yaml or the name ends in .yaml/.yml)." };
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
            command.Add(report);
            command.Add(reportFile);
            command.Add(noVerify);
            command.Add(syncWave);
            command.Add(clusterOutput);
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
            var intentArgument = result.GetValue(intent)!;
            if (IntentArgument.ReportEnvironmentWithoutName(result, env, intentArgument, name))
            {
                return ExitCodes.BadInput;
            }

            var environment = result.GetValue(env);
            var outputValue = result.GetValue(output);
            if (verifyOnly)
            {
                if (outputValue is not (null or "text" or "json" or "yaml"))
                {
                    Console.Error.WriteLine($"npgen verify: -o \"{outputValue}\" is not a format; use text, json or yaml (verify writes no policies)");
                    return ExitCodes.BadInput;
                }

                var verifyFormat = outputValue is "json" or "yaml" ? outputValue : null;
                if (result.GetValue(rendered) || result.GetValue(renderedFiles) is { Length: > 0 })
                {
                    if (!result.GetValue(rendered) || result.GetValue(renderedFiles) is not { Length: > 0 } files)
                    {
                        Console.Error.WriteLine("npgen verify: --rendered and -f go together: npgen verify INTENT --rendered -f FILE|DIR|-");
                        return ExitCodes.BadInput;
                    }

                    var renderedInput = IntentArgument.Resolve(intentArgument, environment, name, stdinTaken: files.Contains("-"));
                    return renderedInput is null
                        ? ExitCodes.BadInput
                        : RenderedVerifyCommand.Run(renderedInput, new BuildOptions
                        {
                            Environment = environment,
                            Overlays = result.GetValue(overlays) ?? [],
                            TemplatesDirectory = result.GetValue(templates),
                        }, files, verifyFormat);
                }

                return Run(name, intentArgument, environment, new BuildOptions
                {
                    Environment = environment,
                    Overlays = result.GetValue(overlays) ?? [],
                    TemplatesDirectory = result.GetValue(templates),
                }, OutputTarget.Stdout, verifyFormat, null, null);
            }

            var commitRequested = result.GetValue(commit);
            var (target, targetError) = OutputTarget.Parse(outputValue, directoryRequired: commitRequested);
            if (target is null)
            {
                Console.Error.WriteLine(targetError);
                Console.Error.WriteLine("npgen build: nothing was built.");
                return ExitCodes.BadInput;
            }

            if (!TryReadSyncWave(result, syncWave, name, out var wave))
            {
                return ExitCodes.BadInput;
            }

            if (!commitRequested && (result.GetValue(push) || result.GetValue(remote) is not null || result.GetValue(branch) is not null))
            {
                Console.Error.WriteLine("npgen build: --push, --remote and --branch go with --commit");
                return ExitCodes.BadInput;
            }

            var replaceEnvironment = result.GetValue(git.ReplaceEnvironment);
            if (replaceEnvironment && target.Path is null)
            {
                Console.Error.WriteLine("npgen build: --replace-environment goes with -o DIR/ or -o FILE (it allows replacing that output's build for another environment)");
                return ExitCodes.BadInput;
            }

            if (commitRequested && target.Path is null)
            {
                Console.Error.WriteLine("npgen build: --commit needs -o DIR/, a directory inside a Git working tree");
                return ExitCodes.BadInput;
            }

            var reportFormat = result.GetValue(report);
            var reportPath = result.GetValue(reportFile);
            if (reportPath is not null)
            {
                reportFormat ??= reportPath.EndsWith(".yaml", StringComparison.Ordinal) || reportPath.EndsWith(".yml", StringComparison.Ordinal) ? "yaml" : "json";
            }

            if (commitRequested && reportFormat is not null)
            {
                Console.Error.WriteLine("npgen build: --report does not go with --commit; the commit message and the summary say what was written");
                return ExitCodes.BadInput;
            }

            if (commitRequested && intentArgument == Intent.IntentResolver.Stdin)
            {
                Console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.IntentStdinNotCommittable,
                    "--commit records the intent's path and SHA-256 in the commit (Npgen-Intent-Path), and an intent read from stdin has no path", null,
                    "pass the intent file's path: npgen build path/to/intents.yaml -o DIR/ --commit"));
                return ExitCodes.BadInput;
            }

            return Run(name, intentArgument, environment, new BuildOptions
            {
                Environment = environment,
                Overlays = result.GetValue(overlays) ?? [],
                TemplatesDirectory = result.GetValue(templates),
                Verify = !result.GetValue(noVerify),
                SyncWave = wave,
                ClusterOutput = result.GetValue(clusterOutput) is { } kind ? Enum.Parse<PolicyGen.Intent.ClusterOutputKind>(kind) : null,
            }, target, reportFormat, reportPath, commitRequested ? Commit(result, git, push, remote, branch, replaceEnvironment, target.Path!) : null, replaceEnvironment);
        });
        return command;
    }

    /// <summary>
    /// Builds (with progress), then writes: the policies to the target, the report (build: --report;
    /// verify: -o json|yaml) to stdout or its file. For verify, <paramref name="reportFormat"/> null
    /// prints the proof's summary.
    /// </summary>
    private static int Run(string name, string intentArgument, string? environment, BuildOptions options, OutputTarget target,
        string? reportFormat, string? reportPath, Func<BuildResult, int>? commit, bool replaceEnvironment = false)
    {
        var verifyOnly = name == "verify";
        var input = IntentArgument.Resolve(intentArgument, environment, name);
        if (input is null)
        {
            return ExitCodes.BadInput;
        }

        BuildResult build;
        using (var progress = ProgressReporter.Start(name))
        {
            build = BuildPipeline.Run(input, options with { Stage = stage => progress.Stage(stage, StageWeight(stage)) });
        }

        foreach (var diagnostic in build.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic);
        }

        if (Environment.GetEnvironmentVariable("NPGEN_TIMINGS") == "1")
        {
            Console.Error.Write(build.FormatTimings());
        }

        var kind = verifyOnly ? ReportKinds.Verify : ReportKinds.Build;
        if (!build.Succeeded)
        {
            var verificationFailed = build.Diagnostics.Any(d => d.Severity == Severity.Error
                && d.Code is DiagnosticCodes.VerificationMismatch or DiagnosticCodes.ExpectationFailed);
            if (reportFormat is not null && !WriteReport(BuildReport.Create(kind, build, environment, target, null), reportFormat, reportPath, name))
            {
                return ExitCodes.BadInput;
            }

            Console.Error.WriteLine(verificationFailed
                ? $"npgen {name}: verification failed{(verifyOnly ? "" : "; nothing was written")}."
                : $"npgen {name}: the intent has errors{(verifyOnly ? "" : "; nothing was written")}.");
            return verificationFailed ? ExitCodes.CheckFailed : ExitCodes.BadInput;
        }

        if (commit is not null)
        {
            return commit(build);
        }

        WriteResult? written = null;
        if (target.Path is { } path)
        {
            written = target.IsDirectory
                ? OutputDirectoryWriter.Write(path, BuildOutput.Files(build), new WriteOptions
                {
                    ReplaceEnvironment = replaceEnvironment,
                    Legacy = input.IsStdin ? null : LegacyEnvironment.FromDirectoryName(path, build.Intent!.Source.File),
                })
                : OutputFileWriter.Write(path, BuildOutput.Stream(build), BuildOutput.Record(build), new WriteOptions { ReplaceEnvironment = replaceEnvironment });
            foreach (var diagnostic in written.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            if (!written.Succeeded)
            {
                Console.Error.WriteLine($"npgen build: could not write {TextEscaping.ForLine(path)}");
                return ExitCodes.BadInput;
            }

            foreach (var replaced in written.Replaced)
            {
                Console.Error.WriteLine($"{path}: replaced {replaced} (--replace-environment)");
            }

            Console.Error.WriteLine(target.IsDirectory
                ? $"{path}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted"
                : $"{path}: {(written.Written.IsEmpty ? "unchanged" : "written")} ({build.Policies.Length} {(build.Policies.Length == 1 ? "policy" : "policies")})");
        }

        // stdout carries one document: the policies, or (--report without --report-file) the report.
        if (!verifyOnly && target.Path is null && (reportFormat is null || reportPath is not null))
        {
            Console.Out.Write(BuildOutput.Stream(build));
        }

        if (reportFormat is not null)
        {
            var went = reportPath is null && target.Path is null && !verifyOnly ? null : target;
            return WriteReport(BuildReport.Create(kind, build, environment, went, written), reportFormat, reportPath, name)
                ? ExitCodes.Ok
                : ExitCodes.BadInput;
        }

        if (verifyOnly)
        {
            var v = build.Verification!;
            Console.Out.WriteLine($"verified: the {build.Policies.Length} {(build.Policies.Length == 1 ? "policy" : "policies")} generated from {Path.GetFileName(build.Intent!.Source.File)}{(environment is null ? "" : $" (env {environment})")} {(build.Policies.Length == 1 ? "allows" : "allow")} exactly what the intent allows");
            Console.Out.WriteLine($"  {v.FlowsChecked:N0} flows between {v.PodWitnesses} witness pods and {v.AddressWitnesses} addresses on {v.Ports} ports; {v.ExpectationsChecked} expectations hold");
        }

        return ExitCodes.Ok;
    }

    /// <summary>How much of the bar each build stage takes: the proof dominates large intents.</summary>
    private static double StageWeight(string stage) => stage switch
    {
        "reading the intent" => 0.05,
        "compiling" => 0.1,
        "rendering templates" => 0.15,
        "checking the rendered policies" => 0.2,
        _ => 0.5,
    };

    /// <summary>The report on stdout, or into --report-file (temporary file, then rename; never through a link).</summary>
    private static bool WriteReport(OrderedDictionary<string, object?> report, string format, string? path, string command)
    {
        var text = format == "json" ? StructuredText.Json(report) : StructuredText.Yaml(report);
        if (path is null)
        {
            Console.Out.Write(text);
            return true;
        }

        if (new FileInfo(path).LinkTarget is not null || Directory.Exists(path))
        {
            Console.Error.WriteLine($"npgen {command}: --report-file {TextEscaping.ForLine(path)} is a symbolic link or a directory; nothing was written there");
            return false;
        }

        var temp = path + ".npgen-tmp-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true);
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            Console.Error.WriteLine($"npgen {command}: could not write --report-file {TextEscaping.ForLine(path)}: {e.Message}");
            return false;
        }
    }

    /// <summary><c>build -o DIR --commit</c>: write, stage npgen's files, commit, optionally push.</summary>
    private static Func<BuildResult, int> Commit(ParseResult result, GitOptions git,
        Option<bool> push, Option<string?> remote, Option<string?> branch, bool replaceEnvironment, string directory) => build =>
    {
        var environment = build.Environment;
        var credentials = GitOptions.Credentials(result, git, null);
        var redactor = new SecretRedactor(credentials);
        if (!GitOptions.TryReadSettings(result, git, build.Intent!.Source.File, build.Intent.Name, environment, "build", out var settings)
            || !GitOptions.TryReadTimeout(result, git, "build", out var timeout)
            || !GitOptions.TryReadMaxResponse("build", out var maxResponse))
        {
            return ExitCodes.BadInput;
        }

        using var client = new LibGit2Client(credentials, redactor, timeout, maxResponse);
        using var progress = ProgressReporter.Start("build");
        var publisher = new PolicyPublisher(client, settings, GitOptions.Progress(redactor, progress));
        var published = publisher.CommitLocal(build, new LocalCommitRequest(directory, result.GetValue(push), result.GetValue(remote), result.GetValue(branch), replaceEnvironment));
        if (published.Written is { Succeeded: true } written)
        {
            Console.Error.WriteLine($"{directory}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted");
        }

        return GitOptions.Report(published, "text", redactor, "build");
    };

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
}
