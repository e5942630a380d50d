namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// Progress on stderr is for people at a terminal: shown there, off when stderr is a pipe or a
/// file (a script, a CI log) unless NPGEN_PROGRESS=1, and off under NPGEN_PROGRESS=0 (or never).
/// </summary>
public sealed class ProgressTests : GitOpsTestBase
{
    [Fact]
    public void Publish_prints_no_stage_lines_into_a_pipe_unless_asked()
    {
        var bare = GitCli.CreateBare(temp, "gitops.git");
        var intent = Intent("payments", Version1);
        var piped = Publish(null, intent, bare, "--path", "apps/payments");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.DoesNotContain("npgen publish: cloning", piped.StdErr, StringComparison.Ordinal);
        Assert.Matches(@"^pushed [0-9a-f]{40} to main: ", piped.StdOut);

        File.WriteAllText(intent, Version2);
        var asked = Publish(Env(("NPGEN_PROGRESS", "1")), intent, bare, "--path", "apps/payments");
        Assert.True(asked.ExitCode == 0, asked.ToString());
        Assert.Contains("npgen publish: building ", asked.StdErr, StringComparison.Ordinal);
        Assert.Contains("npgen publish: pushing ", asked.StdErr, StringComparison.Ordinal);
    }

    [PseudoTerminalFact]
    public void Publish_shows_its_stages_on_a_terminal_and_NPGEN_PROGRESS_0_turns_them_off()
    {
        var bare = GitCli.CreateBare(temp, "gitops.git");
        var intent = Intent("payments", Version1);
        var (exit, screen) = PseudoTerminal.Run(temp, Fast, "publish", intent, "--repo", bare, "--path", "apps/payments");
        Assert.True(exit == 0, screen);
        Assert.Contains("npgen publish: cloning main from ", screen, StringComparison.Ordinal);
        Assert.Contains("npgen publish: pushing ", screen, StringComparison.Ordinal);

        File.WriteAllText(intent, Version2);
        foreach (var off in new[] { "0", "never" })
        {
            var (quietExit, quiet) = PseudoTerminal.Run(temp, Env(("NPGEN_PROGRESS", off)), "publish", intent, "--repo", bare, "--path", "apps/payments");
            Assert.True(quietExit == 0, quiet);
            Assert.DoesNotContain("npgen publish:", quiet, StringComparison.Ordinal);
            Assert.True(quiet.Contains("up to date", StringComparison.Ordinal) || quiet.Contains("pushed ", StringComparison.Ordinal), quiet);
        }
    }
}
