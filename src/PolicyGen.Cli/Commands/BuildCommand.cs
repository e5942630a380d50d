using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Commit;
using PolicyGen.Diagnostics;
using PolicyGen.Git;
using PolicyGen.Output;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen build</c>: intent in, verified NetworkPolicy YAML out (stdout, -o FILE or -o DIR/, optionally committed).</summary>
internal static class BuildCommand
{
    public static Command Create(CommandConsole console)
    {
        var flags = new BuildFlags();
        var command = new Command("build", """
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
        """);
        command.Add(flags.Intent);
        foreach (var option in flags.Options)
        {
            command.Add(option);
        }

        command.SetAction(result => flags.Read(result, console) is { } settings ? Run(settings, flags.Git, result, console) : ExitCodes.BadInput);
        return command;
    }

    /// <summary>
    /// Builds (with progress), then writes: the policies to the target (or commits them), the
    /// report (--report) to stdout or its file.
    /// </summary>
    private static int Run(BuildSettings settings, GitOptions git, ParseResult result, CommandConsole console)
    {
        var reading = System.Diagnostics.Stopwatch.StartNew();
        var input = IntentArgument.Resolve(settings.Intent, settings.Environment, "build", console);
        if (input is null)
        {
            return ExitCodes.BadInput;
        }

        var build = IntentBuildRun.Run("build", input, settings.Options, console, reading.Elapsed);
        var outcome = BuildOutcome.Of(build);
        if (outcome != Outcome.Ok)
        {
            if (settings.ReportFormat is { } format
                && !ReportWriter.Write(BuildReport.Create(ReportKinds.Build, build, settings.Environment, settings.Target, null), format, settings.ReportPath, "build", console))
            {
                return ExitCodes.BadInput;
            }

            console.Error.WriteLine(outcome == Outcome.CheckFailed
                ? "npgen build: verification failed; nothing was written."
                : "npgen build: the intent has errors; nothing was written.");
            return ExitCodes.For(outcome);
        }

        if (settings.Commit)
        {
            return Commit(build, settings, git, result, console);
        }

        WriteResult? written = null;
        if (settings.Target.Path is { } path)
        {
            written = Write(build, settings, input.IsStdin, path, console);
            if (written is null)
            {
                return ExitCodes.BadInput;
            }
        }

        // stdout carries one document: the policies, or (--report without --report-file) the report.
        if (settings.Target.Path is null && (settings.ReportFormat is null || settings.ReportPath is not null))
        {
            console.Out.Write(BuildOutput.Stream(build));
        }

        if (settings.ReportFormat is { } reportFormat)
        {
            var went = settings.ReportPath is null && settings.Target.Path is null ? null : settings.Target;
            return ReportWriter.Write(BuildReport.Create(ReportKinds.Build, build, settings.Environment, went, written), reportFormat, settings.ReportPath, "build", console)
                ? ExitCodes.Ok
                : ExitCodes.BadInput;
        }

        return ExitCodes.Ok;
    }

    /// <summary>The policies into -o DIR/ (one file each) or -o FILE; prints what was written, or why not (then null).</summary>
    private static WriteResult? Write(BuildResult build, BuildSettings settings, bool fromStdin, string path, CommandConsole console)
    {
        var target = settings.Target;
        var written = target.IsDirectory
            ? OutputDirectoryWriter.Write(path, BuildOutput.Files(build), new WriteOptions
            {
                ReplaceEnvironment = settings.ReplaceEnvironment,
                Legacy = fromStdin ? null : LegacyEnvironment.FromDirectoryName(path, build.Intent!.Source.File),
            })
            : OutputFileWriter.Write(path, BuildOutput.Stream(build), BuildOutput.Record(build), new WriteOptions { ReplaceEnvironment = settings.ReplaceEnvironment });
        foreach (var diagnostic in written.Diagnostics)
        {
            console.Error.WriteLine(diagnostic);
        }

        if (!written.Succeeded)
        {
            console.Error.WriteLine($"npgen build: could not write {TextEscaping.ForLine(path)}");
            return null;
        }

        foreach (var replaced in written.Replaced)
        {
            console.Error.WriteLine($"{path}: replaced {replaced} (--replace-environment)");
        }

        console.Error.WriteLine(target.IsDirectory
            ? $"{path}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted"
            : $"{path}: {(written.Written.IsEmpty ? "unchanged" : "written")} ({build.Policies.Length} {(build.Policies.Length == 1 ? "policy" : "policies")})");
        return written;
    }

    /// <summary><c>build -o DIR --commit</c>: write, stage npgen's files, commit, optionally push.</summary>
    private static int Commit(BuildResult build, BuildSettings settings, GitOptions git, ParseResult result, CommandConsole console)
    {
        var directory = settings.Target.Path!;
        var credentials = GitOptions.Credentials(result, git, null, console);
        var redactor = new SecretRedactor(credentials);
        if (!GitOptions.TryReadSettings(result, git, "build", console)
            || !GitOptions.TryReadTimeout(result, git, "build", console, out var timeout)
            || !GitOptions.TryReadMaxResponse("build", console, out var maxResponse))
        {
            return ExitCodes.BadInput;
        }

        using var client = new LibGit2Client(credentials, redactor, timeout, maxResponse);
        var commitSettings = GitOptions.Settings(result, git, client, build.Intent!.Source.File, build.Intent.Name, build.Environment, console);
        using var progress = ProgressReporter.Start("build", console);
        var publisher = new PolicyPublisher(client, commitSettings, GitOptions.Progress(redactor, progress));
        var published = publisher.CommitLocal(build, new LocalCommitRequest(directory, settings.Push, settings.Remote, settings.Branch, settings.ReplaceEnvironment));
        if (published.Written is { Succeeded: true } written)
        {
            console.Error.WriteLine($"{directory}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted");
        }

        return GitOptions.Report(published, "text", redactor, "build", console);
    }

    /// <summary><c>--sync-wave N|none</c>: the Argo CD sync-wave annotation on every generated policy.</summary>
    internal static Option<string> SyncWaveOption() => new("--sync-wave")
    {
        Description = "Argo CD sync wave annotated on every policy (argocd.argoproj.io/sync-wave): an integer, or none to leave it out. Default -1: policies apply before the workloads.",
        DefaultValueFactory = _ => PolicyGen.Compile.IntentCompiler.DefaultSyncWave,
    };

    /// <summary>Reads --sync-wave: an integer (kept as written, without a leading +) or none. Prints the problem and returns false otherwise.</summary>
    internal static bool TryReadSyncWave(ParseResult result, Option<string> option, string command, CommandConsole console, out string? wave)
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
        console.Error.WriteLine($"npgen {command}: --sync-wave \"{text}\" is neither an integer nor none");
        return false;
    }
}
