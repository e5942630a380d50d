using System.Text.RegularExpressions;

namespace PolicyGen.Cli.Tests.Distribution;

/// <summary>
/// <c>npgen completion SHELL</c>: each script is checked by its own shell (syntax, then real
/// completions where the shell can be driven without a terminal), and covers every command that
/// <c>npgen --help</c> lists, so a new command cannot be missed.
/// </summary>
public sealed partial class CompletionScriptTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-completion-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string Script(string shell)
    {
        var run = Npgen.Run("completion", shell);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.StdErr);
        var path = Path.Combine(temp, "npgen." + shell);
        File.WriteAllText(path, run.StdOut);
        return path;
    }

    /// <summary>The commands `npgen --help` lists (the first word of each line under "Commands:").</summary>
    private static List<string> HelpCommands()
    {
        var help = Npgen.Run("--help").StdOut;
        var section = help[(help.IndexOf("Commands:", StringComparison.Ordinal) + "Commands:".Length)..];
        var names = section.Split('\n')
            .TakeWhile(line => line.Length == 0 || line.StartsWith(' '))
            .Select(line => CommandLine().Match(line))
            .Where(m => m.Success)
            .SelectMany(m => m.Groups[1].Value.Split(", "))
            .ToList();
        Assert.Contains("build", names);
        Assert.Contains("completion", names);
        return names;
    }

    /// <summary>Runs the bash completion function for the words of a command line, the cursor on the last word.</summary>
    private NpgenRun BashComplete(string script, params string[] words)
        => ExternalTool.Run("bash", [
            "-c", """source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _npgen; printf '%s\n' "${COMPREPLY[@]}" """,
            "bash", script, .. words], temp);

    private static List<string> Lines(NpgenRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [ToolFact("bash")]
    public void Bash_script_passes_bash_n_and_completes_commands_options_and_values()
    {
        var script = Script("bash");
        var syntax = ExternalTool.Run("bash", ["-n", script], temp);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());

        Assert.Equal(["build"], Lines(BashComplete(script, "npgen", "bu")));
        Assert.Contains("--env", Lines(BashComplete(script, "npgen", "build", "x.yaml", "--e")));
        // An option's value: its fixed list (check -o), or nothing so that bash completes file names.
        Assert.Equal(["json", "text"], Lines(BashComplete(script, "npgen", "check", "x.yaml", "-o", "")).Order());
        Assert.Empty(Lines(BashComplete(script, "npgen", "build", "--env", "")));
        // A value that looks like a subcommand does not switch commands: "npgen build -o check --e".
        Assert.Contains("--env", Lines(BashComplete(script, "npgen", "build", "-o", "check", "--e")));
        Assert.Equal(["gen"], Lines(BashComplete(script, "npgen", "bench", "")));
        Assert.Equal(["bash", "fish", "pwsh", "zsh"], Lines(BashComplete(script, "npgen", "completion", "")).Order());

        var all = Lines(BashComplete(script, "npgen", ""));
        Assert.Equal(HelpCommands().Order(), all.Order());
    }

    [ToolFact("bash")]
    public void Bash_completion_works_after_sourcing_through_complete_F()
    {
        // As ~/.bashrc loads it: source <(npgen completion bash), then bash knows how to complete npgen.
        var script = Script("bash");
        var run = ExternalTool.Run("bash", ["-c", """source "$1" && complete -p npgen""", "bash", script], temp);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("-F _npgen", run.StdOut);
        Assert.Contains("-o default", run.StdOut);
    }

    [ToolFact("zsh")]
    public void Zsh_script_passes_zsh_n_and_its_tables_follow_the_command_tree()
    {
        var script = Script("zsh");
        var syntax = ExternalTool.Run("zsh", ["-n", script], temp);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        Assert.StartsWith("#compdef npgen\n", File.ReadAllText(script));

        // compdef exists only after compinit; a stub lets the script load so its functions can be asked.
        const string Ask = """
            compdef() { :; }; source "$1"
            _npgen_candidates "" words; print -rl -- $reply; print -- ---
            _npgen_candidates build options; print -rl -- $reply; print -- ---
            _npgen_choices matrix -o; print -rl -- $reply; print -- ---
            _npgen_subcommand bench gen
            """;
        var run = ExternalTool.Run("zsh", ["-c", Ask, "zsh", script], temp);
        var parts = run.StdOut.Split("---\n");
        Assert.True(run.ExitCode == 0 && parts.Length == 4, run.ToString());
        var commands = parts[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[0]);
        Assert.Equal(HelpCommands().Order(), commands.Order());
        Assert.Contains(parts[1].Split('\n'), l => l.StartsWith("--env:Merge environments/ENV.yaml", StringComparison.Ordinal));
        Assert.Equal(["csv", "dot", "json", "md", "mermaid", "svg", "table"], parts[2].Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal("bench gen", parts[3]);
    }

    [ToolFact("fish")]
    public void Fish_script_passes_fish_n_and_completes_commands_options_and_values()
    {
        var script = Script("fish");
        var syntax = ExternalTool.Run("fish", ["-n", script], temp);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());

        // fish completes a command line without a terminal: complete -C "LINE" prints candidate<TAB>description.
        List<string> Complete(string line)
        {
            var run = ExternalTool.Run("fish", ["--no-config", "-c", """source $argv[1]; complete -C $argv[2]""", script, line], temp);
            return [.. Lines(run).Select(l => l.Split('\t')[0])];
        }

        Assert.Equal(["build"], Complete("npgen bu"));
        Assert.Contains("--env", Complete("npgen build x.yaml --e"));
        Assert.Equal(["csv", "dot", "json", "md", "mermaid", "svg", "table"], Complete("npgen matrix -o ").Order());
        Assert.Equal(["gen"], Complete("npgen bench "));
        Assert.Equal(HelpCommands().Order(), Complete("npgen ").Order());
    }

    [Fact]
    public void Pwsh_script_registers_a_native_completer_with_every_command_path()
    {
        // pwsh cannot be installed on these machines (no Debian package); the script is checked by its
        // structure here, and parsed by PowerShell itself where pwsh is on PATH.
        var text = File.ReadAllText(Script("pwsh"));
        Assert.Contains("Register-ArgumentCompleter -Native -CommandName 'npgen' -ScriptBlock {", text);
        foreach (var command in HelpCommands())
        {
            Assert.Contains($"'{command}' = @('{command}', ", text);
            Assert.Contains($"\n    '{command}' = @{{\n", text);
        }

        Assert.Contains("\n    'bench gen' = @{\n", text);
        Assert.Contains("'--output' = @('csv', 'dot', 'json', 'md', 'mermaid', 'svg', 'table')", text);
        // Outside its quoted strings and comments, every bracket of the script is closed.
        var code = PowerShellStrings().Replace(string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))), "''");
        Assert.DoesNotContain('\'', code.Replace("''", "", StringComparison.Ordinal));
        Assert.Equal(Count(code, '{'), Count(code, '}'));
        Assert.Equal(Count(code, '('), Count(code, ')'));

        if (ExternalTool.Find("pwsh") is not null)
        {
            var parse = ExternalTool.Run("pwsh", ["-NoProfile", "-Command",
                "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile($args[0], [ref]$null, [ref]$e); $e.Count", Script("pwsh")], temp);
            Assert.Equal("0", parse.StdOut.Trim());
        }
    }

    [Fact]
    public void Completion_without_a_known_shell_is_a_usage_error_and_help_shows_examples()
    {
        var bad = Npgen.Run("completion", "tcsh");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("tcsh", bad.StdErr);
        Assert.Equal("", bad.StdOut);

        var help = Npgen.Run("completion", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("source <(npgen completion bash)", help.StdOut);
        Assert.Contains("npgen completion fish > ~/.config/fish/completions/npgen.fish", help.StdOut);
        Assert.Contains("<bash|fish|pwsh|zsh>", help.StdOut);
    }

    private static int Count(string text, char c) => text.Count(x => x == c);

    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex PowerShellStrings();

    [GeneratedRegex(@"^  (\S+(?:, \S+)*)(?: <[^>]*>)?(?:\s{2,}|$)")]
    private static partial Regex CommandLine();
}
