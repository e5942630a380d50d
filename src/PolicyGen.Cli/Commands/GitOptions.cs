using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
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

    public IEnumerable<Option> All => [Message, AuthorName, AuthorEmail, MaxAttempts, CaFile];

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
    public static GitCredentials Credentials(ParseResult result, GitOptions options, RemoteUrl? url)
    {
        var user = Environment.GetEnvironmentVariable(UsernameVariable);
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        return new GitCredentials
        {
            Username = string.IsNullOrEmpty(user) ? url?.Username : user,
            Password = string.IsNullOrEmpty(password) ? url?.Password : password,
            CaFile = result.GetValue(options.CaFile),
        };
    }

    public static bool TryReadSettings(ParseResult result, GitOptions options, string intentPath, string intentName, string? environment,
        string command, out CommitSettings settings)
    {
        settings = null!;
        var attempts = result.GetValue(options.MaxAttempts);
        if (attempts is < 1 or > 20)
        {
            Console.Error.WriteLine($"npgen {command}: --max-attempts must be between 1 and 20");
            return false;
        }

        var caFile = result.GetValue(options.CaFile);
        if (caFile is not null && !File.Exists(caFile))
        {
            Console.Error.WriteLine($"npgen {command}: --ca-file {caFile} does not exist");
            return false;
        }

        var name = result.GetValue(options.AuthorName) ?? NonEmpty(Environment.GetEnvironmentVariable(AuthorNameVariable)) ?? GitIdentity.DefaultName;
        var email = result.GetValue(options.AuthorEmail) ?? NonEmpty(Environment.GetEnvironmentVariable(AuthorEmailVariable)) ?? GitIdentity.DefaultEmail;
        settings = new CommitSettings
        {
            Author = new GitIdentity(name, email),
            Subject = result.GetValue(options.Message) ?? CommitSettings.DefaultSubject,
            Scope = environment is null ? intentName : $"{intentName} ({environment})",
            Environment = environment,
            Version = Version,
            IntentPath = DisplayIntentPath(intentPath),
            IntentSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(intentPath))),
            MaxAttempts = attempts,
            RetryDelay = RetryDelay(),
        };
        return true;
    }

    /// <summary>The intent's path from the root of the Git working tree it is in; else as given.</summary>
    private static string DisplayIntentPath(string intentPath)
    {
        using var client = new LibGit2Client(GitCredentials.None, new SecretRedactor(GitCredentials.None));
        using var repo = client.Discover(Path.GetDirectoryName(Path.GetFullPath(intentPath))!);
        return repo is null
            ? intentPath.Replace('\\', '/')
            : Path.GetRelativePath(repo.WorkingDirectory, Path.GetFullPath(intentPath)).Replace('\\', '/');
    }

    /// <summary>NPGEN_GIT_RETRY_DELAY_MS shortens the first backoff (tests); default 500 ms.</summary>
    private static TimeSpan RetryDelay()
        => int.TryParse(Environment.GetEnvironmentVariable("NPGEN_GIT_RETRY_DELAY_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromMilliseconds(500);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Prints the result (text or JSON on stdout, diagnostics on stderr) and returns the exit code.</summary>
    public static int Report(PublishResult result, string format, SecretRedactor redactor, string command)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            Console.Error.WriteLine(redactor.Redact(diagnostic.ToString()));
        }

        if (format == "json")
        {
            var report = new OrderedDictionary<string, object?>
            {
                ["changed"] = result.Changed,
                ["commit"] = result.Commit,
                ["branch"] = result.Branch,
                ["pushed"] = result.Pushed,
                ["attempts"] = result.Attempts,
                ["flows"] = new OrderedDictionary<string, object?> { ["added"] = result.FlowsAdded, ["removed"] = result.FlowsRemoved },
            };
            if (!result.Succeeded)
            {
                report["error"] = redactor.Redact(result.Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error)?.Message ?? "failed");
            }

            Console.Out.Write(StructuredText.Json(report));
        }
        else if (result.Outcome == PublishOutcome.UpToDate)
        {
            Console.Out.WriteLine("up to date");
        }
        else if (result.Outcome == PublishOutcome.Committed)
        {
            var flows = $"{result.FlowsAdded} flow{(result.FlowsAdded == 1 ? "" : "s")} added, {result.FlowsRemoved} removed";
            var attempts = result.Attempts > 1 ? $" after {result.Attempts} attempts" : "";
            Console.Out.WriteLine(result.Pushed
                ? $"pushed {result.Commit} to {result.Branch}{attempts}: {flows}"
                : $"committed {result.Commit} on {result.Branch ?? "a detached HEAD"}: {flows}");
        }

        foreach (var replaced in result.Written?.Replaced ?? [])
        {
            if (result.Succeeded)
            {
                Console.Error.WriteLine($"npgen {command}: replaced {redactor.Redact(replaced)} (--replace-environment)");
            }
        }

        if (!result.Succeeded)
        {
            Console.Error.WriteLine(result.Outcome == PublishOutcome.GitFailed
                ? $"npgen {command}: the Git operation failed{(result.Commit is { } c && !result.Pushed ? $"; commit {c} was made but not pushed" : "")}."
                : $"npgen {command}: nothing was committed.");
        }

        return result.Outcome switch
        {
            PublishOutcome.UpToDate or PublishOutcome.Committed => ExitCodes.Ok,
            PublishOutcome.GitFailed or PublishOutcome.UnsafeRepository => ExitCodes.GitFailed,
            _ => ExitCodes.BadInput,
        };
    }
}
