namespace PolicyGen.Cli.Completion;

/// <summary>One command of the tree the completion scripts are generated from.</summary>
/// <param name="Path">The words after the program name that reach this command ("" for the root, "bench gen").</param>
/// <param name="Names">The command's name first, then its aliases.</param>
/// <param name="Description">The first line of the command's description.</param>
/// <param name="Options">Its own options and those it inherits (--help).</param>
/// <param name="Subcommands">Its subcommands, in the order the help lists them.</param>
/// <param name="ArgumentChoices">The values its positional arguments accept when they are a fixed list.</param>
/// <param name="AcceptsFiles">It takes a positional argument that is not a fixed list (a file, a directory).</param>
public sealed record CompletionNode(
    string Path,
    IReadOnlyList<string> Names,
    string Description,
    IReadOnlyList<CompletionOption> Options,
    IReadOnlyList<CompletionNode> Subcommands,
    IReadOnlyList<string> ArgumentChoices,
    bool AcceptsFiles)
{
    /// <summary>This command and every command below it, depth first.</summary>
    public IEnumerable<CompletionNode> SelfAndDescendants()
        => Subcommands.SelectMany(s => s.SelfAndDescendants()).Prepend(this);
}
