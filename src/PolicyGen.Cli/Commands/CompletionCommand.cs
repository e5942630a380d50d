using System.CommandLine;
using System.Reflection;
using PolicyGen.Cli.Completion;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen completion SHELL</c>: a completion script generated from npgen's own command tree.</summary>
internal static class CompletionCommand
{
    private const string Program = "npgen";

    public static Command Create(CommandConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash, zsh, fish or pwsh." }
            .AcceptOnlyFromAmong("bash", "zsh", "fish", "pwsh");
        var command = new Command("completion", """
            Print a script that completes npgen's commands, options and option values (such as
            -o json) in your shell. It is generated from the commands of this npgen, so regenerate
            it after an upgrade. File names complete where a command takes a file.

            Examples:
              # bash: for this shell, then for every new one
              source <(npgen completion bash)
              echo 'source <(npgen completion bash)' >> ~/.bashrc

              # zsh (after compinit in ~/.zshrc)
              echo 'source <(npgen completion zsh)' >> ~/.zshrc

              # fish
              npgen completion fish > ~/.config/fish/completions/npgen.fish

              # PowerShell
              npgen completion pwsh | Out-String | Invoke-Expression
              npgen completion pwsh >> $PROFILE
            """)
        {
            shell,
        };

        command.SetAction(result =>
        {
            var tree = CompletionTree.From(result.RootCommandResult.Command);
            var version = Version();
            console.Out.Write(result.GetValue(shell) switch
            {
                "bash" => BashCompletionScript.Generate(tree, Program, version),
                "zsh" => ZshCompletionScript.Generate(tree, Program, version),
                "fish" => FishCompletionScript.Generate(tree, Program, version),
                _ => PowerShellCompletionScript.Generate(tree, Program, version),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    // The version without the commit id the SDK appends (0.1.0+4f2c...).
    private static string Version()
    {
        var version = typeof(CompletionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
