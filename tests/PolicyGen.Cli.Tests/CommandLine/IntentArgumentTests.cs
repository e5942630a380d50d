namespace PolicyGen.Cli.Tests.CommandLine;

/// <summary>
/// The intent argument of every command: - for stdin, a directory for its intents.yaml, and the
/// messages for an overlay given in its place, --env without a name, and a mistyped app or environment.
/// </summary>
public sealed class IntentArgumentTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-intent-arg-").FullName;

    private static string ShopText => File.ReadAllText(Path.Combine(Npgen.Repo, "examples", "shop", "intents.yaml"));

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Build_reads_the_intent_from_stdin_as_from_the_file()
    {
        var fromFile = Npgen.Run("build", "examples/shop/intents.yaml");
        var fromStdin = Npgen.RunWithInput(ShopText, "build", "-");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        // The same policies; only the source names differ (<stdin> is quoted in YAML, intents.yaml is not).
        static string Unquoted(string text) => text.Replace("\"", "", StringComparison.Ordinal);
        Assert.Equal(Unquoted(fromFile.StdOut.Replace("from intents.yaml", "from <stdin>", StringComparison.Ordinal).Replace("intents.yaml#", "<stdin>#", StringComparison.Ordinal)),
            Unquoted(fromStdin.StdOut));

        var verify = Npgen.RunWithInput(ShopText, "verify", "-");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public void Errors_in_an_intent_from_stdin_name_stdin_with_line_and_column()
    {
        var run = Npgen.RunWithInput(ShopText.Replace("      selector: {app: web}", "      selector: {app: web}\n      selectr: {}", StringComparison.Ordinal), "build", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"<stdin>:\d+:7: error NPG300", run.StdErr);
        Assert.Equal("", run.StdOut);
    }

    [Fact]
    public void Env_with_stdin_says_that_overlays_need_the_directory()
    {
        var run = Npgen.RunWithInput(ShopText, "build", "-", "--env", "prod");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG142", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("--overlay environments/prod.yaml", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_cannot_hold_both_the_intent_and_the_manifests()
    {
        var run = Npgen.RunWithInput(ShopText, "check", "-", "-f", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG147", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_and_commit_refuse_an_intent_from_stdin()
    {
        var publish = Npgen.RunWithInput(ShopText, "publish", "-", "--repo", Path.Combine(temp, "none.git"), "--path", "apps/shop");
        Assert.Equal(2, publish.ExitCode);
        Assert.Contains("error NPG148", publish.StdErr, StringComparison.Ordinal);
        var commit = Npgen.RunWithInput(ShopText, "build", "-", "-o", Path.Combine(temp, "d") + "/", "--commit");
        Assert.Equal(2, commit.ExitCode);
        Assert.Contains("error NPG148", commit.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp, "d")));
    }

    [Theory]
    [InlineData("build")]
    [InlineData("verify")]
    public void A_directory_stands_for_its_intents_yaml(string command)
    {
        var byDirectory = Npgen.Run(command, "examples/shop", "--env", "prod");
        var byFile = Npgen.Run(command, "examples/shop/intents.yaml", "--env", "prod");
        Assert.True(byDirectory.ExitCode == 0, byDirectory.ToString());
        Assert.Equal(byFile.StdOut, byDirectory.StdOut);
    }

    [Fact]
    public void Check_and_matrix_take_a_directory_too()
    {
        var check = Npgen.Run("check", "examples/shop", "--env", "prod", "-f", "examples/shop/manifests/");
        Assert.True(check.ExitCode == 0, check.ToString());
        var matrix = Npgen.Run("matrix", "-f", "examples/shop/manifests/", "--intent", "examples/shop", "--env", "prod", "-p", "5432");
        Assert.True(matrix.ExitCode == 0, matrix.ToString());
    }

    [Fact]
    public void A_directory_without_intents_yaml_lists_the_files_that_look_like_intents()
    {
        File.WriteAllText(Path.Combine(temp, "shop-intent.yaml"), ShopText);
        File.WriteAllText(Path.Combine(temp, "values.yaml"), "replicas: 3\n");
        var run = Npgen.Run("build", temp);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG141", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("without intents.yaml", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("shop-intent.yaml", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("values.yaml", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlay_given_as_the_intent_says_how_to_apply_it()
    {
        var run = Npgen.Run("verify", "examples/shop/environments/prod.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG143", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("this is an overlay; use: npgen verify examples/shop/intents.yaml --env prod", run.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("build", "examples/shop/intents.yaml")]
    [InlineData("verify", "examples/shop")]
    [InlineData("check", "examples/shop/intents.yaml", "-f", "examples/shop/manifests/")]
    public void Env_without_a_name_lists_the_environments(string command, params string[] args)
    {
        var run = Npgen.Run([command, .. args, "--env"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG149", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("dev, prod", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Env_without_a_name_works_for_eval_and_matrix_intent_too()
    {
        var run = Npgen.Run("matrix", "-f", "examples/shop/manifests/", "--intent", "examples/shop/intents.yaml", "--env");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG149", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("dev, prod", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_environment_gets_the_closest_and_the_list()
    {
        var run = Npgen.Run("build", "examples/shop/intents.yaml", "--env", "prd");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("did you mean --env prod?", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("environments found: dev, prod", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlay_that_changes_an_unknown_app_suggests_the_closest()
    {
        var overlay = Path.Combine(temp, "typo.yaml");
        File.WriteAllText(overlay, "spec:\n  apps:\n    wbe:\n      ports: {http: 9090/TCP}\n");
        var run = Npgen.Run("verify", "examples/shop/intents.yaml", "--overlay", overlay);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{overlay}:3:5: error NPG145: the overlay changes app \"wbe\", which the intent does not declare", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("did you mean web?", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("NPG301", run.StdErr, StringComparison.Ordinal);
    }
}
