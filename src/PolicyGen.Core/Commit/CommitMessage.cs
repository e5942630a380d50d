using System.Globalization;
using System.Text;
using PolicyGen.Verify;

namespace PolicyGen.Commit;

/// <summary>
/// The message of an npgen commit: a subject, what changed in connectivity (computed by the
/// evaluator, one flow per line), and trailers that say which npgen and which intent made it.
/// </summary>
public static class CommitMessage
{
    public const string VersionTrailer = "Npgen-Version";
    public const string IntentPathTrailer = "Npgen-Intent-Path";
    public const string IntentShaTrailer = "Npgen-Intent-Sha256";
    public const string EnvironmentTrailer = "Npgen-Environment";

    public static string Build(CommitSettings settings, ConnectivityChanges changes, bool firstPolicies, string directory)
    {
        var subject = settings.Subject
            .Replace("{scope}", settings.Scope, StringComparison.Ordinal)
            .Replace("{intent}", settings.Scope.Split(' ')[0], StringComparison.Ordinal)
            .Replace("{env}", settings.Environment ?? "", StringComparison.Ordinal)
            .Replace("{added}", changes.Added.Length.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{removed}", changes.Removed.Length.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .ReplaceLineEndings(" ").Trim();
        var text = new StringBuilder(subject).Append("\n\n");
        var where = directory.Length == 0 ? "the repository root" : directory + "/";
        if (firstPolicies)
        {
            text.Append(CultureInfo.InvariantCulture, $"First NetworkPolicies in {where}: before them every flow below was allowed.\n");
        }

        if (changes.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"Connectivity is unchanged; only the text of the policies in {where} changed.\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Connectivity changes in {where} ({Count(changes.Added.Length, "flow")} added, {changes.Removed.Length} removed):\n");
            var listed = 0;
            foreach (var change in changes.All)
            {
                if (listed++ == settings.MaxListedChanges)
                {
                    var rest = changes.Added.Length + changes.Removed.Length - settings.MaxListedChanges;
                    text.Append(CultureInfo.InvariantCulture, $"... and {Count(rest, "more change")}\n");
                    break;
                }

                text.Append(change).Append('\n');
            }
        }

        text.Append('\n')
            .Append(CultureInfo.InvariantCulture, $"{VersionTrailer}: {settings.Version}\n")
            .Append(CultureInfo.InvariantCulture, $"{IntentPathTrailer}: {settings.IntentPath}\n")
            .Append(CultureInfo.InvariantCulture, $"{IntentShaTrailer}: {settings.IntentSha256}\n");
        if (settings.Environment is { } environment)
        {
            text.Append(CultureInfo.InvariantCulture, $"{EnvironmentTrailer}: {environment}\n");
        }

        return text.ToString();
    }

    /// <summary>Whether a commit message carries npgen's version trailer.</summary>
    public static bool IsNpgenMessage(string message)
        => message.Split('\n').Any(l => l.StartsWith(VersionTrailer + ": ", StringComparison.Ordinal));

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
