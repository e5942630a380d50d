using System.CommandLine;
using PolicyGen.Diagnostics;

namespace PolicyGen.Cli.Commands;

/// <summary>The options of <c>npgen build</c>, and <see cref="Read"/>: the <see cref="BuildSettings"/> they say.</summary>
internal sealed class BuildFlags
{
    public Argument<string> Intent { get; } = new("intent") { Description = IntentArgument.Description };

    public Option<string?> Environment { get; } = IntentArgument.EnvironmentOption("Merge environments/ENV.yaml (next to the intent file) over the intent; --env alone lists them.");

    public Option<string[]> Overlays { get; } = new("--overlay") { Description = "Overlay file to merge after --env; repeatable, applied in order." };

    public Option<string?> Templates { get; } = new("--templates") { Description = "Directory of .sbn templates that override the bundled ones, file by file." };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Where the policies go: DIR/ (or an existing directory) for one file per policy, FILE for one YAML stream. Default: stdout.",
    };

    public Option<string?> Report { get; } = new Option<string?>("--report")
    {
        Description = "Print a build report (BuildReport) as json or yaml: on stdout in place of the policies, or into --report-file.",
    }.AcceptOnlyFromAmong("json", "yaml");

    public Option<string?> ReportFile { get; } = new("--report-file") { Description = "Write the --report to this file instead of stdout (json unless --report yaml or the name ends in .yaml/.yml)." };

    public Option<bool> NoVerify { get; } = new("--no-verify") { Description = "Skip the proof that the policies allow exactly what the intent allows (not recommended)." };

    public Option<string> SyncWave { get; } = BuildCommand.SyncWaveOption();

    public Option<string?> ClusterOutput { get; } = ClusterOutputOption();

    public Option<bool> Commit { get; } = new("--commit") { Description = "Commit npgen's files in the -o directory to the Git repository it is in." };

    public Option<bool> Push { get; } = new("--push") { Description = "With --commit: push the branch afterwards (to its upstream, or --remote/--branch)." };

    public Option<string?> Remote { get; } = new("--remote") { Description = "With --push: the remote to push to (default: the branch's upstream remote)." };

    public Option<string?> Branch { get; } = new("--branch") { Description = "With --push: the remote branch to push to (default: the upstream branch)." };

    public GitOptions Git { get; } = new();

    public IEnumerable<Option> Options => [Environment, Overlays, Templates, Output, Report, ReportFile, NoVerify, SyncWave, ClusterOutput, Commit, Push, Remote, Branch, Git.ReplaceEnvironment, .. Git.All];

    /// <summary>The settings, or null after a message when the flags do not go together (exit 2).</summary>
    public BuildSettings? Read(ParseResult result, CommandConsole console)
    {
        var intent = result.GetValue(Intent)!;
        if (IntentArgument.ReportEnvironmentWithoutName(result, Environment, intent, "build", console))
        {
            return null;
        }

        var commit = result.GetValue(Commit);
        var (target, targetError) = OutputTarget.Parse(result.GetValue(Output), directoryRequired: commit);
        if (target is null)
        {
            console.Error.WriteLine(targetError);
            console.Error.WriteLine("npgen build: nothing was built.");
            return null;
        }

        if (!BuildCommand.TryReadSyncWave(result, SyncWave, "build", console, out var wave))
        {
            return null;
        }

        var reportPath = result.GetValue(ReportFile);
        var reportFormat = result.GetValue(Report)
            ?? (reportPath is null ? null : reportPath.EndsWith(".yaml", StringComparison.Ordinal) || reportPath.EndsWith(".yml", StringComparison.Ordinal) ? "yaml" : "json");
        var settings = new BuildSettings
        {
            Intent = intent,
            Environment = result.GetValue(Environment),
            Options = IntentBuildRun.Options(result.GetValue(Environment), result.GetValue(Overlays), result.GetValue(Templates)) with
            {
                Verify = !result.GetValue(NoVerify),
                SyncWave = wave,
                ClusterOutput = result.GetValue(ClusterOutput) is { } kind ? Enum.Parse<PolicyGen.Intent.ClusterOutputKind>(kind) : null,
            },
            Target = target,
            ReportFormat = reportFormat,
            ReportPath = reportPath,
            ReplaceEnvironment = result.GetValue(Git.ReplaceEnvironment),
            Commit = commit,
            Push = result.GetValue(Push),
            Remote = result.GetValue(Remote),
            Branch = result.GetValue(Branch),
        };
        return Refusal(settings) is { } refusal ? Refused(refusal, console) : settings;
    }

    /// <summary>Why these flags do not go together, or null when they do.</summary>
    private static string? Refusal(BuildSettings settings)
    {
        if (!settings.Commit && (settings.Push || settings.Remote is not null || settings.Branch is not null))
        {
            return "npgen build: --push, --remote and --branch go with --commit";
        }

        if (settings.ReplaceEnvironment && settings.Target.Path is null)
        {
            return "npgen build: --replace-environment goes with -o DIR/ or -o FILE (it allows replacing that output's build for another environment)";
        }

        if (settings.Commit && settings.Target.Path is null)
        {
            return "npgen build: --commit needs -o DIR/, a directory inside a Git working tree";
        }

        if (settings.Commit && settings.ReportFormat is not null)
        {
            return "npgen build: --report does not go with --commit; the commit message and the summary say what was written";
        }

        return settings.Commit && settings.Intent == PolicyGen.Intent.IntentResolver.Stdin
            ? Diagnostic.Error(DiagnosticCodes.IntentStdinNotCommittable,
                "--commit records the intent's path and SHA-256 in the commit (Npgen-Intent-Path), and an intent read from stdin has no path", null,
                "pass the intent file's path: npgen build path/to/intents.yaml -o DIR/ --commit").ToString()
            : null;
    }

    private static BuildSettings? Refused(string refusal, CommandConsole console)
    {
        console.Error.WriteLine(refusal);
        return null;
    }

    private static Option<string?> ClusterOutputOption()
    {
        var option = new Option<string?>("--cluster-output") { Description = "The kind spec.cluster is written as, over the intent's output: AdminNetworkPolicy (ANP + BANP, v1alpha1) or ClusterNetworkPolicy (v1alpha2)." };
        option.AcceptOnlyFromAmong(nameof(PolicyGen.Intent.ClusterOutputKind.AdminNetworkPolicy), nameof(PolicyGen.Intent.ClusterOutputKind.ClusterNetworkPolicy));
        return option;
    }
}
