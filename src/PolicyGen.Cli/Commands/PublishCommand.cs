using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Commit;
using PolicyGen.Diagnostics;
using PolicyGen.Git;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen publish</c>: build, then commit and push the policies into a GitOps repository.</summary>
internal static class PublishCommand
{
    public static Command Create(CommandConsole console)
    {
        var intent = new Argument<string>("intent") { Description = "The intent file (kind: NetworkIntent), or a directory holding intents.yaml." };
        var repo = new Option<string>("--repo") { Description = "The GitOps repository: https://, ssh://, git@host:path, file:// or a local path.", Required = true };
        var path = new Option<string>("--path") { Description = "The directory in the repository that holds the policies, e.g. apps/shop.", Required = true };
        var branch = new Option<string>("--branch") { Description = "The branch to commit to, or in pull-request mode to base the proposal on.", DefaultValueFactory = _ => "main" };
        var pushBranch = new Option<string?>("--push-branch")
        {
            Description = "Pull-request mode: commit on the fresh --branch tip and force-push this bot branch (e.g. npgen/shop) instead; refused if it holds commits npgen did not make.",
        };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Keep the clone here between runs and only fetch (default: a temporary clone, deleted afterwards)." };
        var env = IntentArgument.EnvironmentOption("Merge environments/ENV.yaml (next to the intent file) over the intent; --env alone lists them.");
        var overlays = new Option<string[]>("--overlay") { Description = "Overlay file to merge after --env; repeatable, applied in order." };
        var templates = new Option<string?>("--templates") { Description = "Directory of .sbn templates that override the bundled ones, file by file." };
        var syncWave = BuildCommand.SyncWaveOption();
        var output = new Option<string>("--output", "-o") { Description = "Result format: text (default) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var git = new GitOptions();

        var command = new Command("publish", $"""
            Build the policies from an intent (with every check of npgen build) and publish them to a
            GitOps repository: clone it (or refresh --cache-dir), write the policies into --path,
            commit only npgen's files there, push, clean up. When the branch already holds exactly
            these policies nothing is committed and it prints "up to date". When another writer
            pushed first, npgen fetches, writes the policies again on the new tip and retries
            (--max-attempts, jittered backoff). The commit message lists the connectivity changes
            ("+ shop/web -> shop/api 8080/TCP") and carries Npgen-Version, Npgen-Intent-Path and
            Npgen-Intent-Sha256 trailers.

            Credentials for HTTPS: ${GitOptions.UsernameVariable} and ${GitOptions.PasswordVariable} (a token), never
            printed and never written into a clone's .git/config (a user:token@ in the URL is taken out and
            used the same way). SSH URLs use the system's SSH setup (ssh-agent). Author: --author-name/--author-email,
            else ${GitOptions.AuthorNameVariable}/${GitOptions.AuthorEmailVariable}, else {GitIdentity.Default}.

            A silent HTTP(S) server fails the publish after --timeout (default 60s, or ${GitOptions.TimeoutVariable}).
            Progress goes to stderr when it is a terminal, one line per stage (clone/fetch, render,
            commit, push); ${GitOptions.ProgressVariable}=1 keeps it in a CI log, 0 turns it off.
            stdout holds only the result (text, or -o json: a PublishReport).
            Into an empty bare repository reached by path, npgen also points its HEAD at --branch.

            Examples:
              # From CI, with a token from a secret
              NPGEN_GIT_PASSWORD=$TOKEN npgen publish deploy/intents.yaml --env prod \
                --repo https://git.example.com/platform/gitops.git --path apps/shop

              # Propose the change on a bot branch for a pull request instead of pushing to main
              npgen publish deploy/intents.yaml --repo https://git.example.com/platform/gitops.git \
                --path apps/shop --push-branch npgen/shop -o json

            The files record the intent, --env and --overlay they were built from. Publishing over
            this intent's output for another environment (a forgotten --env) is refused with exit 2
            and nothing is pushed; --replace-environment replaces it deliberately and says what it
            replaced. Another intent's files in --path are left alone (a warning names them); a
            path that holds another intent's output tree is refused (exit 2). A symbolic link in
            the repository at or under --path is refused with exit 4.

              # Move apps/shop from the prod build to the staging build on purpose
              npgen publish deploy/intents.yaml --env staging --replace-environment \
                --repo https://git.example.com/platform/gitops.git --path apps/shop

            Exit codes: 0 pushed or up to date, 1 verification failed, 2 bad input (an unusable --repo URL too),
            4 Git or remote failure (no repository at --repo, a timeout, a symbolic link in the repository).
            """)
        {
            intent, repo, path, branch, pushBranch, cacheDir, env, overlays, templates, syncWave, output, git.ReplaceEnvironment,
        };
        foreach (var option in git.All)
        {
            command.Add(option);
        }

        command.SetAction(result =>
        {
            if (IntentArgument.ReportEnvironmentWithoutName(result, env, result.GetValue(intent), "publish", console))
            {
                return ExitCodes.BadInput;
            }

            if (result.GetValue(intent) == PolicyGen.Intent.IntentResolver.Stdin)
            {
                console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.IntentStdinNotCommittable,
                    "publish records the intent's path and SHA-256 in the commit (Npgen-Intent-Path), and an intent read from stdin has no path", null,
                    "pass the intent file's path: npgen publish path/to/intents.yaml --repo URL --path DIR"));
                return ExitCodes.BadInput;
            }

            if (!BuildCommand.TryReadSyncWave(result, syncWave, "publish", console, out var wave))
            {
                return ExitCodes.BadInput;
            }

            // The URL is split (and its user info taken out) before anything parses or prints it.
            if (!GitOptions.TryReadRepository(result.GetValue(repo)!, "publish", console, out var url)
                || !GitOptions.TryReadTimeout(result, git, "publish", console, out var timeout)
                || !GitOptions.TryReadMaxResponse("publish", console, out var maxResponse))
            {
                return ExitCodes.BadInput;
            }

            var credentials = GitOptions.Credentials(result, git, url, console);
            var redactor = new SecretRedactor(credentials);
            redactor.AddUrl(result.GetValue(repo)!);
            using var reporter = ProgressReporter.Start("publish", console);
            var progress = GitOptions.Progress(redactor, reporter);

            var environment = result.GetValue(env);
            var input = IntentArgument.Resolve(result.GetValue(intent)!, environment, "publish", console);
            if (input is null)
            {
                return ExitCodes.BadInput;
            }

            progress?.Invoke($"building {TextEscaping.ForLine(input.Path)}{(environment is null ? "" : $" for {TextEscaping.ForLine(environment)}")}");
            var build = BuildPipeline.Run(input, new BuildOptions
            {
                Environment = environment,
                Overlays = result.GetValue(overlays) ?? [],
                TemplatesDirectory = result.GetValue(templates),
                SyncWave = wave,
            });
            foreach (var diagnostic in build.Diagnostics)
            {
                console.Error.WriteLine(diagnostic);
            }

            var outcome = BuildOutcome.Of(build);
            if (outcome != Outcome.Ok)
            {
                console.Error.WriteLine(outcome == Outcome.CheckFailed
                    ? "npgen publish: verification failed; nothing was published."
                    : "npgen publish: the intent has errors; nothing was published.");
                return ExitCodes.For(outcome);
            }

            if (!GitOptions.TryReadSettings(result, git, "publish", console))
            {
                return ExitCodes.BadInput;
            }

            using var client = new LibGit2Client(credentials, redactor, timeout, maxResponse);
            var settings = GitOptions.Settings(result, git, client, input.Path, build.Intent!.Name, environment, console);
            var publisher = new PolicyPublisher(client, settings, progress);
            var published = publisher.Publish(build, new PublishRequest(
                url.Url, result.GetValue(path)!, result.GetValue(branch)!, result.GetValue(pushBranch), result.GetValue(cacheDir),
                result.GetValue(git.ReplaceEnvironment)));
            return GitOptions.Report(published, result.GetValue(output)!, redactor, "publish", console);
        });
        return command;
    }
}
