using System.Globalization;
using System.Text;
using PolicyGen.Diagnostics;
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

    /// <remarks>
    /// Every value from the user (scope, environment, directory, intent path, the flows' names) is
    /// escaped to one line (<see cref="TextEscaping.ForLine"/>): a file or directory name with a
    /// newline cannot add a line, a trailer or a fake sign-off to the message.
    /// </remarks>
    public static string Build(CommitSettings settings, ConnectivityChanges changes, bool firstPolicies, string directory)
    {
        var scope = TextEscaping.ForLine(settings.Scope);
        var environment = settings.Environment is null ? null : TextEscaping.ForLine(settings.Environment);
        directory = TextEscaping.ForLine(directory);
        var subject = TextEscaping.ForLine(settings.Subject.ReplaceLineEndings(" "))
            .Replace("{scope}", scope, StringComparison.Ordinal)
            .Replace("{intent}", scope.Split(' ')[0], StringComparison.Ordinal)
            .Replace("{env}", environment ?? "", StringComparison.Ordinal)
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

                text.Append(TextEscaping.ForLine(change.ToString())).Append('\n');
            }
        }

        text.Append('\n')
            .Append(CultureInfo.InvariantCulture, $"{VersionTrailer}: {TextEscaping.ForLine(settings.Version)}\n")
            .Append(CultureInfo.InvariantCulture, $"{IntentPathTrailer}: {TextEscaping.ForLine(settings.IntentPath)}\n")
            .Append(CultureInfo.InvariantCulture, $"{IntentShaTrailer}: {TextEscaping.ForLine(settings.IntentSha256)}\n");
        if (environment is not null)
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
