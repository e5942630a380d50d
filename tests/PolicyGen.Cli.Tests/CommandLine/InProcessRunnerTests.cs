namespace PolicyGen.Cli.Tests.CommandLine;

/// <summary>
/// Most CLI tests run npgen in process: it must answer exactly as the built npgen does as a
/// process, the same bytes on stdout and stderr (escaped for the terminal alike) and the same exit code.
/// Help and --version are not among them: System.CommandLine names the program and its version
/// after the entry assembly, which in process is the test host (HelpTests checks help as a process).
/// </summary>
public sealed class InProcessRunnerTests
{
    [Theory]
    [InlineData("build", "examples/shop/intents.yaml", "--env", "prod")]
    [InlineData("verify", "examples/shop", "-o", "json")]
    [InlineData("matrix", "-f", "examples/cluster", "-o", "json")]
    [InlineData("eval", "-f", "examples/cluster", "--from", "shop/web", "--to", "shop/db", "--port", "5432", "--exit-code")]
    [InlineData("build", "no-such-\u001b[31mintent.yaml")]
    [InlineData("frobnicate")]
    public void In_process_and_as_a_process_npgen_prints_the_same_and_exits_the_same(params string[] args)
    {
        var inProcess = Npgen.Run(args);
        var process = NpgenProcess.Run(args);

        Assert.Equal(process, inProcess);
    }

    [Fact]
    public void Stdin_and_the_environment_reach_an_in_process_run_as_given()
    {
        var intent = File.ReadAllText(Path.Combine(Npgen.Repo, "examples", "shop", "intents.yaml"));
        var environment = new Dictionary<string, string> { ["NPGEN_TIMINGS"] = "1" };

        var inProcess = Npgen.RunIn(Npgen.Repo, environment, intent, "build", "-");
        var process = NpgenProcess.RunIn(Npgen.Repo, environment, intent, "build", "-");

        Assert.Equal(0, inProcess.ExitCode);
        Assert.Equal(process.StdOut, inProcess.StdOut);
        Assert.Contains("npgen: verify", inProcess.StdErr, StringComparison.Ordinal);
    }
}
