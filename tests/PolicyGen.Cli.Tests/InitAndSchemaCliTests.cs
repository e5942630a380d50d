using System.Text;
using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary><c>npgen init</c> and <c>npgen schema</c>, run as a user would.</summary>
public sealed class InitAndSchemaCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-init-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string Starter => File.ReadAllText(Path.Combine(Npgen.Repo, "src", "PolicyGen.Core", "Intent", "starter-intents.yaml"));

    [Fact]
    public void Schema_prints_the_json_schema_byte_for_byte_the_same_on_every_run()
    {
        var run = Npgen.Run("schema");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StdErr);
        using (var json = JsonDocument.Parse(run.StdOut))
        {
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", json.RootElement.GetProperty("$schema").GetString());
            Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("$defs").GetProperty("app").ValueKind);
        }

        var file = File.ReadAllText(Path.Combine(Npgen.Repo, "src", "PolicyGen.Core", "Intent", "intent.schema.json"));
        Assert.Equal(file, run.StdOut);
        Assert.Equal(run.StdOut, Npgen.Run("schema").StdOut);
    }

    [Fact]
    public void Init_writes_a_starter_that_builds_and_verifies()
    {
        var path = Path.Combine(temp, "intents.yaml");
        var init = Npgen.Run("init", path);
        Assert.Equal(0, init.ExitCode);
        Assert.Equal("", init.StdOut);
        Assert.Contains($"npgen build {path}", init.StdErr);
        Assert.Equal(Starter, File.ReadAllText(path));
        Assert.False(new UTF8Encoding(false).GetPreamble().SequenceEqual(File.ReadAllBytes(path).Take(3)));

        var verify = Npgen.Run("verify", path);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("expectations hold", verify.StdOut);
    }

    [Fact]
    public void Init_without_a_path_writes_intents_yaml_and_into_a_directory_too()
    {
        var dir = Path.Combine(temp, "deploy");
        Directory.CreateDirectory(dir);
        var run = Npgen.Run("init", dir);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Starter, File.ReadAllText(Path.Combine(dir, "intents.yaml")));

        var nested = Npgen.Run("init", Path.Combine(temp, "a", "b", "net.yaml"));
        Assert.Equal(0, nested.ExitCode);
        Assert.True(File.Exists(Path.Combine(temp, "a", "b", "net.yaml")));
    }

    [Fact]
    public void Init_refuses_to_overwrite_and_force_overwrites()
    {
        var path = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(path, "mine\n");

        var refused = Npgen.Run("init", path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already exists", refused.StdErr);
        Assert.Contains("--force", refused.StdErr);
        Assert.Equal("mine\n", File.ReadAllText(path));

        var forced = Npgen.Run("init", path, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(Starter, File.ReadAllText(path));
    }

    [Fact]
    public void Init_dash_prints_the_starter_and_writes_nothing()
    {
        var run = Npgen.Run("init", "-");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Starter, run.StdOut);
        Assert.False(File.Exists(Path.Combine(Npgen.Repo, "-")));

        // What it prints builds as it is.
        var path = Path.Combine(temp, "from-stdout.yaml");
        File.WriteAllText(path, run.StdOut);
        Assert.Equal(0, Npgen.Run("build", path).ExitCode);
    }

    [Theory]
    [InlineData("init")]
    [InlineData("schema")]
    public void Help_teaches_by_example(string command)
    {
        var run = Npgen.Run(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.StdOut);
        Assert.Contains($"npgen {command}", run.StdOut);
    }
}
