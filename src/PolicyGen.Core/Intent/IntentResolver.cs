using System.Collections.Immutable;
using System.Text.RegularExpressions;
using PolicyGen.Diagnostics;
using PolicyGen.Yaml;

namespace PolicyGen.Intent;

/// <summary>
/// Turns the intent argument of every command (build, verify, check, publish, eval and matrix
/// --intent) into an <see cref="IntentInput"/>: <c>-</c> is standard input, a directory means
/// <c>DIR/intents.yaml</c>, and an overlay given where the intent belongs is named as such, with the
/// command line that was probably meant.
/// </summary>
public static partial class IntentResolver
{
    /// <summary>The intent file a directory stands for, as npgen init writes it.</summary>
    public const string DefaultFileName = "intents.yaml";

    /// <summary>The argument that means standard input.</summary>
    public const string Stdin = "-";

    private const int MaxListed = 10;
    private const int SniffBytes = 4096;

    /// <summary>
    /// Resolves and reads the intent. <paramref name="command"/> (e.g. <c>verify</c>) is only used in
    /// hints that show the command line to run. Returns the input, or null with the error.
    /// </summary>
    public static (IntentInput? Input, Diagnostic? Error) Resolve(string argument, string? environment, string command, Func<TextReader> stdin)
    {
        if (argument == Stdin)
        {
            if (environment is not null)
            {
                return (null, Diagnostic.Error(DiagnosticCodes.IntentStdinWithEnvironment,
                    $"--env {TextEscaping.ForLine(environment)} needs the intent's directory (environments/{TextEscaping.ForLine(environment)}.yaml beside it), and an intent read from standard input has none",
                    null, $"give the intent's path (npgen {command} path/to/intents.yaml --env {TextEscaping.ForLine(environment)}), or merge the overlay file by name: npgen {command} - --overlay environments/{TextEscaping.ForLine(environment)}.yaml"));
            }

            var (text, error) = BoundedText.Read(stdin(), IntentInput.StdinName, YamlLimits.Intent);
            return text is null ? (null, error) : (new IntentInput(IntentInput.StdinName, text), null);
        }

        var path = argument;
        if (Directory.Exists(path))
        {
            path = Path.Join(argument, DefaultFileName);
            if (!File.Exists(path))
            {
                return (null, MissingInDirectory(argument, command));
            }
        }

        if (!File.Exists(path))
        {
            return (null, Diagnostic.Error(DiagnosticCodes.FileNotFound, $"no such intent file: {TextEscaping.ForLine(path)}", null,
                "pass the path of an intent file (or of the directory that holds intents.yaml); npgen init writes a starter intents.yaml"));
        }

        var (fileText, tooLarge) = BoundedText.ReadFile(path, YamlLimits.Intent);
        if (fileText is null)
        {
            return (null, tooLarge);
        }

        var (documents, parseError) = SourceNodeReader.Read(path, fileText, YamlLimits.Intent);
        if (parseError is not null)
        {
            return (new IntentInput(path, fileText), null); // the loader reports what is wrong with it
        }

        return OverlayProblem(path, documents, command) is { } overlay ? (null, overlay) : (new IntentInput(path, fileText) { Documents = documents }, null);
    }

    /// <summary>The environments an intent has: the names of <c>environments/*.yaml</c> beside it, sorted.</summary>
    public static ImmutableArray<string> EnvironmentsOf(string intentPath)
    {
        var directory = Path.Join(Path.GetDirectoryName(Path.GetFullPath(intentPath)), "environments");
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The intent file an argument names, without reading it: <c>DIR/intents.yaml</c> for a directory; null for stdin.</summary>
    public static string? PathOf(string argument)
        => argument == Stdin ? null : Directory.Exists(argument) ? Path.Join(argument, DefaultFileName) : argument;

    private static Diagnostic MissingInDirectory(string directory, string command)
    {
        var candidates = LooksLikeIntents(directory);
        var shown = TextEscaping.ForLine(directory);
        var hint = candidates.Count switch
        {
            0 => $"none of the YAML files in {shown} is a NetworkIntent; npgen init {shown} writes a starter {DefaultFileName}, or pass the intent file's path",
            1 => $"{shown} holds one intent file: npgen {command} {TextEscaping.ForLine(Path.Join(directory, candidates[0]))}",
            _ => $"YAML files in {shown} that look like intents: {string.Join(", ", candidates.Take(MaxListed))}{(candidates.Count > MaxListed ? $" and {candidates.Count - MaxListed} more" : "")}; pass one of them",
        };
        return Diagnostic.Error(DiagnosticCodes.IntentDirectoryWithoutIntent,
            $"{shown} is a directory without {DefaultFileName}, the intent file npgen reads from a directory", null, hint);
    }

    /// <summary>The *.yaml and *.yml files directly in a directory whose start says kind: NetworkIntent (regular files only).</summary>
    private static List<string> LooksLikeIntents(string directory)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (!(file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)))
            {
                continue;
            }

            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Length == 0)
            {
                continue; // a link or a FIFO/device (size 0) is never opened
            }

            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                var head = new byte[SniffBytes];
                var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                if (IntentKind().IsMatch(System.Text.Encoding.UTF8.GetString(head, 0, read)))
                {
                    found.Add(Path.GetFileName(file));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // unreadable: not listed
            }
        }

        return found;
    }

    /// <summary>
    /// An overlay (<c>kind: NetworkIntentOverlay</c>, or a file without kind in an environments/
    /// directory) given as the intent: the error says so, with the command line that merges it.
    /// </summary>
    private static Diagnostic? OverlayProblem(string path, ImmutableArray<SourceNode> documents, string command)
    {
        if (documents.FirstOrDefault() is not MappingNode root)
        {
            return null; // the loader reports what is wrong with it
        }

        var kind = (root["kind"] as ScalarNode)?.Value;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var inEnvironments = Path.GetFileName(directory) == "environments";
        if (kind != "NetworkIntentOverlay" && !(kind is null && inEnvironments && root["spec"] is not null))
        {
            return null;
        }

        var shown = TextEscaping.ForLine(path);
        string hint;
        var intentDirectory = Path.GetDirectoryName(directory)!;
        var environment = Path.GetFileNameWithoutExtension(path);
        if (inEnvironments && (File.Exists(Path.Join(intentDirectory, DefaultFileName)) || LooksLikeIntents(intentDirectory) is [_, ..]))
        {
            var intentFile = File.Exists(Path.Join(intentDirectory, DefaultFileName)) ? DefaultFileName : LooksLikeIntents(intentDirectory)[0];
            var intentPath = Path.Join(intentDirectory, intentFile);
            var relative = Path.IsPathRooted(path) ? intentPath : Path.GetRelativePath(Directory.GetCurrentDirectory(), intentPath).Replace('\\', '/');
            hint = $"this is an overlay; use: npgen {command} {TextEscaping.ForLine(relative)} --env {TextEscaping.ForLine(environment)}";
        }
        else
        {
            hint = $"this is an overlay; give the intent it changes and merge it: npgen {command} intents.yaml --overlay {shown}";
        }

        return Diagnostic.Error(DiagnosticCodes.IntentIsAnOverlay,
            $"{shown} is an overlay ({(kind is null ? "a spec: in environments/" : "kind: NetworkIntentOverlay")}), not an intent; an overlay only changes an intent",
            (root["kind"] ?? root).Location, hint);
    }

    [GeneratedRegex(@"^kind:[ \t]*[""']?NetworkIntent[""']?[ \t]*(#.*)?\r?$", RegexOptions.Multiline)]
    private static partial Regex IntentKind();
}
