using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;

namespace PolicyGen.Cli;

/// <summary>
/// <c>npgen --help</c>: short, as kubectl's is: what npgen is, one line per command, and where the
/// details are (<c>npgen COMMAND --help</c>, with examples). System.CommandLine's own root help
/// prints every command's whole description, which runs to hundreds of lines.
/// </summary>
internal static partial class RootHelp
{
    private const int SummaryWidth = 72;

    /// <summary>One line per command; a command missing here is summed up by its description's first sentence.</summary>
    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["build"] = "Compile an intent into NetworkPolicy YAML, proven to mean what it says",
        ["verify"] = "Prove an intent's policies (or a rendered stream) without writing them",
        ["check"] = "Check an intent against the real workloads in manifests",
        ["eval"] = "Is one connection allowed, and why",
        ["matrix"] = "Which endpoints may connect to which, per port",
        ["validate"] = "The API server's NetworkPolicy validation, offline",
        ["publish"] = "Build and commit the policies to a GitOps repository, and push",
        ["init"] = "Write a commented starter intents.yaml",
        ["schema"] = "Print the intent file's JSON Schema, for editors",
        ["krm"] = "Run as a KRM function (kustomize, kpt)",
        ["argocd"] = "Print the Argo CD Application for published policies",
        ["bench"] = "Generate seeded synthetic workloads for benchmarks",
        ["diff"] = "Which flows two versions of an intent or policies add and remove",
        ["graph"] = "Draw the intent's connectivity (Mermaid, Graphviz dot, SVG)",
        ["lint"] = "Flag what a reviewer would in any set of NetworkPolicies",
        ["import"] = "Write an intent from existing NetworkPolicies",
        ["completion"] = "Print a shell completion script (bash, zsh, fish, pwsh)",
    };

    public static bool IsRequest(string[] args) => args is [] or ["--help" or "-h" or "-?" or "help"];

    public static string Text(RootCommand root)
    {
        var commands = root.Subcommands.Where(c => !c.Hidden).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var width = commands.Max(c => c.Name.Length) + 2;
        var text = new StringBuilder("""
            npgen: zero-trust Kubernetes networking from a short intent file. It compiles the intent into
            plain NetworkPolicy YAML, proves it allows exactly what the intent allows, and answers, for
            any manifests, who may connect to whom, and why.

            Usage: npgen COMMAND [ARGS] [OPTIONS]

            Commands:

            """);
        foreach (var command in commands)
        {
            text.Append("  ").Append(command.Name.PadRight(width)).Append(Summary(command)).Append('\n');
        }

        text.Append("""

            Run 'npgen COMMAND --help' for a command's options and examples (npgen build --help).
            Exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 4 a Git operation failed, 70 a bug in npgen.
            Docs: README.md; machine-readable output: docs/output.md; error codes: docs/errors.md.

            """);
        return text.ToString();
    }

    private static string Summary(Command command)
    {
        if (Summaries.TryGetValue(command.Name, out var summary))
        {
            return summary;
        }

        var description = Whitespace().Replace(command.Description ?? "", " ").Trim();
        var end = description.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (end < 0 ? description : description[..end]).TrimEnd('.', ':');
        return sentence.Length <= SummaryWidth ? sentence : sentence[..(SummaryWidth - 3)].TrimEnd() + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
