using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;

namespace PolicyGen.Cli.Completion;

/// <summary>
/// Reads System.CommandLine's command tree into <see cref="CompletionNode"/>s, so a command or option
/// added to npgen appears in every shell's completion script without touching the generators.
/// </summary>
public static partial class CompletionTree
{
    public static CompletionNode From(Command root) => Read(root, "", []);

    private static CompletionNode Read(Command command, string path, IReadOnlyList<Option> inherited)
    {
        var recursive = inherited.Concat(command.Options.Where(o => o.Recursive)).ToList();
        var options = command.Options.Concat(inherited)
            .Where(o => !o.Hidden)
            .DistinctBy(o => o.Name)
            .Select(ReadOption)
            .OfType<CompletionOption>()
            .ToList();
        var subcommands = command.Subcommands
            .Where(c => !c.Hidden && IsWord(c.Name))
            .Select(c => Read(c, path.Length == 0 ? c.Name : $"{path} {c.Name}", recursive))
            .ToList();
        var arguments = command.Arguments.Where(a => !a.Hidden && a.Arity.MaximumNumberOfValues > 0).ToList();
        var choices = arguments.SelectMany(Choices).Distinct(StringComparer.Ordinal).ToList();
        return new CompletionNode(
            path,
            [.. Words(command is RootCommand ? [] : [command.Name, .. command.Aliases])],
            FirstLine(command.Description),
            options,
            subcommands,
            choices,
            AcceptsFiles: arguments.Any(a => !Choices(a).Any()));
    }

    private static CompletionOption? ReadOption(Option option)
    {
        var names = Words([option.Name, .. option.Aliases]).ToList();
        if (names.Count == 0)
        {
            return null;
        }

        // A bool option is a flag (--force), although System.CommandLine also accepts --force true.
        var takesValue = option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;
        var choices = takesValue
            ? option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Where(IsWord).Distinct(StringComparer.Ordinal).ToList()
            : [];
        return new CompletionOption(names, FirstLine(option.Description), takesValue, choices);
    }

    private static IEnumerable<string> Choices(Argument argument)
        => argument.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Where(IsWord);

    // Only plain words reach a script: the Windows spellings of --help (/h, /?, -?) and anything a shell
    // would read as a pattern or a quote are left out, so no name needs escaping inside a case label.
    private static IEnumerable<string> Words(IEnumerable<string> names) => names.Where(IsWord);

    private static bool IsWord(string name) => PlainWord().IsMatch(name);

    /// <summary>
    /// The description's first sentence (its first paragraph, cut at ". "), for the shells that show
    /// one next to each candidate.
    /// </summary>
    private static string FirstLine(string? description)
    {
        var text = (description ?? "").Replace("\r", "", StringComparison.Ordinal).Trim();
        var paragraphEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        var paragraph = string.Join(' ', (paragraphEnd < 0 ? text : text[..paragraphEnd]).Split('\n', StringSplitOptions.TrimEntries));
        var sentenceEnd = paragraph.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (sentenceEnd < 0 ? paragraph : paragraph[..sentenceEnd]).TrimEnd('.');
        return sentence.Length <= 90 ? sentence : sentence[..87] + "...";
    }

    [GeneratedRegex("^-{0,2}[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex PlainWord();
}
