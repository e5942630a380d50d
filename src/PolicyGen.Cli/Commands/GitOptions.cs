using System.CommandLine;
using System.Globalization;
using System.Reflection;
using PolicyGen.Cli.Output;
using PolicyGen.Commit;
using PolicyGen.Diagnostics;
using PolicyGen.Git;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// The options shared by <c>npgen build --commit</c> and <c>npgen publish</c>: who commits, the
/// subject line, retries, credentials; and how a <see cref="PublishResult"/> is printed.
/// Every line printed here goes through the <see cref="SecretRedactor"/>.
/// </summary>
internal sealed class GitOptions
{
    public const string UsernameVariable = "NPGEN_GIT_USERNAME";
    public const string PasswordVariable = "NPGEN_GIT_PASSWORD";
    public const string AuthorNameVariable = "NPGEN_GIT_AUTHOR_NAME";
    public const string AuthorEmailVariable = "NPGEN_GIT_AUTHOR_EMAIL";
    public const string TimeoutVariable = "NPGEN_GIT_TIMEOUT";
    public const string ProgressVariable = ProgressReporter.Variable;
    public const string MaxResponseVariable = "NPGEN_GIT_MAX_RESPONSE";

    public Option<string?> Message { get; } = new("--message", "-m")
    {
        Description = "Commit subject; {scope}, {intent}, {env}, {added} and {removed} are replaced. Default: \"npgen: update NetworkPolicies for {scope}\".",
    };

    public Option<string?> AuthorName { get; } = new("--author-name")
    {
        Description = $"Commit author and committer name (default: ${AuthorNameVariable}, else {GitIdentity.DefaultName}).",
    };

    public Option<string?> AuthorEmail { get; } = new("--author-email")
    {
        Description = $"Commit author and committer e-mail (default: ${AuthorEmailVariable}, else {GitIdentity.DefaultEmail}).",
    };

    public Option<int> MaxAttempts { get; } = new("--max-attempts")
    {
        Description = "Push attempts when other writers race for the branch: each lost race fetches, rebuilds on the new tip and retries after a jittered backoff.",
        DefaultValueFactory = _ => 5,
    };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = "PEM file with the certificate(s) of a private CA that signs the HTTPS server's certificate.",
    };

    public Option<bool> ReplaceEnvironment { get; } = new("--replace-environment")
    {
        Description = "Write over this intent's output even when it was built for another environment or other overlays (or by an older npgen for an unknown one); without it that is refused with exit 2.",
    };

    public Option<string?> Timeout { get; } = new("--timeout")
    {
        Description = $"How long an HTTP(S) Git server may stay silent (to answer, or between two parts of an answer) before npgen gives up: 30s, 5m, 1h or seconds. Default: ${TimeoutVariable}, else {(int)LibGit2Client.DefaultTimeout.TotalSeconds}s.",
    };

    public IEnumerable<Option> All => [Message, AuthorName, AuthorEmail, MaxAttempts, CaFile, Timeout];

    /// <summary>--timeout, else NPGEN_GIT_TIMEOUT, else the default; prints the problem and returns false when neither parses.</summary>
    public static bool TryReadTimeout(ParseResult result, GitOptions options, string command, CommandConsole console, out TimeSpan timeout)
    {
        var (text, source) = result.GetValue(options.Timeout) is { } given ? (given, "--timeout") : (NonEmpty(console.Variable(TimeoutVariable)), TimeoutVariable);
        timeout = LibGit2Client.DefaultTimeout;
        if (text is null)
        {
            return true;
        }

        if (ParseDuration(text) is { } parsed && parsed >= TimeSpan.FromMilliseconds(100) && parsed <= TimeSpan.FromHours(24))
        {
            timeout = parsed;
            return true;
        }

        console.Error.WriteLine($"npgen {command}: {source} {TextEscaping.ForLine(text)} is not a duration from 100ms to 24h (write it like 30s, 5m, 1h or 90)");
        return false;
    }

    /// <summary>
    /// NPGEN_GIT_MAX_RESPONSE (bytes, or with Ki/Mi/Gi), else the default: the most one HTTP(S)
    /// answer of a Git server may hold. Prints the problem and returns false when it does not parse.
    /// </summary>
    public static bool TryReadMaxResponse(string command, CommandConsole console, out long bytes)
    {
        bytes = LibGit2Client.DefaultMaxResponseBytes;
        var text = NonEmpty(console.Variable(MaxResponseVariable));
        if (text is null)
        {
            return true;
        }

        var (digits, shift) = text.EndsWith("Gi", StringComparison.Ordinal) ? (text[..^2], 30)
            : text.EndsWith("Mi", StringComparison.Ordinal) ? (text[..^2], 20)
            : text.EndsWith("Ki", StringComparison.Ordinal) ? (text[..^2], 10)
            : (text, 0);
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= (64L << 30) >> shift)
        {
            bytes = value << shift;
            return true;
        }

        console.Error.WriteLine($"npgen {command}: {MaxResponseVariable} {TextEscaping.ForLine(text)} is not a size (write it like 512Mi, 1Gi or a number of bytes, at most 64Gi)");
        return false;
    }

    /// <summary>A Go-style duration (<c>1m30s</c>, <c>500ms</c>, <c>2h</c>) or a number of seconds.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 86400 * 2 ? TimeSpan.FromSeconds(seconds) : null;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value > 1e6)
            {
                return null;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            total += text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.MinValue,
            };
            if (total < TimeSpan.Zero)
            {
                return null;
            }
        }

        return total;
    }

    /// <summary>
    /// Where a command's progress lines go: the <see cref="ProgressReporter"/>'s stage lines on stderr
    /// (clone or fetch, render, commit, push), on when stderr is a terminal (NPGEN_PROGRESS=1 turns
    /// them on in a CI log, 0 off); null when off. Every line goes through the redactor.
    /// </summary>
    public static Action<string>? Progress(SecretRedactor redactor, ProgressReporter reporter)
        => reporter.Enabled ? line => reporter.Line(redactor.Redact(line)) : null;

    /// <summary>Parses the --repo value and registers its user info with the redactor before anything can print it; prints NPG610 and returns false when it cannot be used.</summary>
    public static bool TryReadRepository(string text, string command, CommandConsole console, out RemoteUrl url)
    {
        if (RemoteUrl.TryParse(text, out url, out var problem))
        {
            return true;
        }

        console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.GitBadUrl, problem, null,
            "write the repository as https://host/org/repo.git, ssh://git@host/org/repo.git, git@host:org/repo.git, file:///path or a path; put the token in NPGEN_GIT_PASSWORD, not in the URL"));
        console.Error.WriteLine($"npgen {command}: nothing was published.");
        return false;
    }


    public static string Version
    {
        get
        {
            var version = typeof(GitOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? version : version[..plus];
        }
    }

    /// <summary>Credentials from the environment, else from the URL's user info (which is then removed from the URL).</summary>
    public static GitCredentials Credentials(ParseResult result, GitOptions options, RemoteUrl? url, CommandConsole console)
    {
        var user = console.Variable(UsernameVariable);
        var password = console.Variable(PasswordVariable);
        return new GitCredentials
        {
            Username = string.IsNullOrEmpty(user) ? url?.Username : user,
            Password = string.IsNullOrEmpty(password) ? url?.Password : password,
            CaFile = result.GetValue(options.CaFile),
        };
    }

    /// <summary>
    /// Checks --max-attempts and --ca-file (prints the problem and returns false when they cannot be
    /// used), then <see cref="CommitSettings.For"/> with the author (--author-name/--author-email, else
    /// NPGEN_GIT_AUTHOR_NAME/EMAIL, else npgen's), the subject and the retries.
    /// </summary>
    public static bool TryReadSettings(ParseResult result, GitOptions options, string command, CommandConsole console)
    {
        var attempts = result.GetValue(options.MaxAttempts);
        if (attempts is < 1 or > 20)
        {
            console.Error.WriteLine($"npgen {command}: --max-attempts must be between 1 and 20");
            return false;
        }

        var caFile = result.GetValue(options.CaFile);
        if (caFile is not null && !File.Exists(caFile))
        {
            console.Error.WriteLine($"npgen {command}: --ca-file {caFile} does not exist");
            return false;
        }

        return true;
    }

    /// <summary>The settings for the commit: <see cref="CommitSettings.For"/> plus who commits, the subject and the retries.</summary>
    public static CommitSettings Settings(ParseResult result, GitOptions options, IGitClient git, string intentPath, string intentName, string? environment, CommandConsole console)
        => CommitSettings.For(git, intentPath, intentName, environment, Version) with
        {
            Author = new GitIdentity(
                result.GetValue(options.AuthorName) ?? NonEmpty(console.Variable(AuthorNameVariable)) ?? GitIdentity.DefaultName,
                result.GetValue(options.AuthorEmail) ?? NonEmpty(console.Variable(AuthorEmailVariable)) ?? GitIdentity.DefaultEmail),
            Subject = result.GetValue(options.Message) ?? CommitSettings.DefaultSubject,
            MaxAttempts = result.GetValue(options.MaxAttempts),
            RetryDelay = RetryDelay(console),
        };

    /// <summary>NPGEN_GIT_RETRY_DELAY_MS shortens the first backoff (tests); default 500 ms.</summary>
    private static TimeSpan RetryDelay(CommandConsole console)
        => int.TryParse(console.Variable("NPGEN_GIT_RETRY_DELAY_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromMilliseconds(500);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Prints the result (text or JSON on stdout, diagnostics on stderr) and returns the exit code.</summary>
    public static int Report(PublishResult result, string format, SecretRedactor redactor, string command, CommandConsole console)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            console.Error.WriteLine(redactor.Redact(diagnostic.ToString()));
        }

        if (format == "json")
        {
            var report = ReportDocument.Start(PolicyGen.Output.ReportKinds.Publish);
            report["changed"] = result.Changed;
            report["commit"] = result.Commit;
            report["branch"] = result.Branch;
            report["pushed"] = result.Pushed;
            report["attempts"] = result.Attempts;
            report["flows"] = new OrderedDictionary<string, object?> { ["added"] = result.FlowsAdded, ["removed"] = result.FlowsRemoved };
            report["pushedCommits"] = result.PushedCommits;
            report["remoteHead"] = result.RemoteHead switch
            {
                null => null,
                RemoteHeadState.AlreadyThere => "ok",
                RemoteHeadState.Pointed => "pointed",
                RemoteHeadState.Elsewhere => "elsewhere",
                _ => "unknown",
            };
            report["error"] = result.Succeeded ? null : redactor.Redact(result.Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error)?.Message ?? "failed");

            console.Out.Write(StructuredText.Json(report));
        }
        else if (result.Outcome == PublishOutcome.UpToDate)
        {
            console.Out.WriteLine("up to date");
        }
        else if (result.Outcome == PublishOutcome.Committed)
        {
            var flows = PublishResult.FlowSummary(result.FlowsAdded, result.FlowsRemoved);
            var attempts = result.Attempts > 1 ? $" after {result.Attempts} attempts" : "";
            var earlier = result.PushedCommits - 1;
            var with = earlier > 0 ? $" with {earlier} earlier commit{(earlier == 1 ? "" : "s")}" : "";
            console.Out.WriteLine(result.Pushed
                ? $"pushed {result.Commit} to {result.Branch}{with}{attempts}: {flows}"
                : $"committed {result.Commit} on {result.Branch ?? "a detached HEAD"}: {flows}");
        }
        else if (result.Outcome == PublishOutcome.Pushed)
        {
            console.Out.WriteLine($"pushed {result.PushedCommits} earlier commit{(result.PushedCommits == 1 ? "" : "s")} to {result.Branch} (now at {result.Commit}): the policies were already committed");
        }

        foreach (var replaced in result.Written?.Replaced ?? [])
        {
            if (result.Succeeded)
            {
                console.Error.WriteLine($"npgen {command}: replaced {redactor.Redact(replaced)} (--replace-environment)");
            }
        }

        if (!result.Succeeded)
        {
            console.Error.WriteLine(result.Outcome == PublishOutcome.GitFailed
                ? $"npgen {command}: the Git operation failed{(result.Commit is { } c && !result.Pushed ? $"; commit {c} was made but not pushed" : "")}."
                : $"npgen {command}: nothing was committed.");
        }

        return ExitCodes.For(PublishOutcomes.Of(result.Outcome));
    }
}
