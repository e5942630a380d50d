namespace PolicyGen.Cli.Tests;

/// <summary>
/// Every example under <c>examples/</c> that has an <c>intents.yaml</c>: the real CLI builds exactly
/// the reviewed golden output committed next to it, <c>npgen verify</c> proves it, and two builds
/// give the same bytes. Golden layout: <c>output/</c> for an example without environments; with
/// <c>environments/*.yaml</c>, one build per environment into <c>output/&lt;env&gt;/</c>.
/// Set <c>NPGEN_UPDATE_GOLDEN=1</c> to rewrite the golden folders with <c>npgen build -o</c> (then review
/// the diff); like any build, it leaves files npgen did not write, which then fail the comparison.
/// </summary>
public sealed class ExampleTests : IDisposable
{
    private const string IntentFile = "intents.yaml";
    private const string OutputFolder = "output";
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-examples-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string ExamplesRoot => Path.Combine(Npgen.Repo, "examples");

    private static bool UpdateGolden => Environment.GetEnvironmentVariable("NPGEN_UPDATE_GOLDEN") == "1";

    /// <summary>Folders of examples/ that hold an intent file.</summary>
    public static IEnumerable<string> ExampleNames()
        => Directory.GetDirectories(ExamplesRoot)
            .Where(d => File.Exists(Path.Combine(d, IntentFile)))
            .Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>The environments of an example (environments/NAME.yaml), none when it has no such folder.</summary>
    public static IEnumerable<string> EnvironmentsOf(string example)
    {
        var directory = Path.Combine(ExamplesRoot, example, "environments");
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)
            : [];
    }

    /// <summary>One case per build: (example, environment), the environment empty for an example without environments.</summary>
    public static TheoryData<string, string> Builds()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in ExampleNames())
        {
            var environments = EnvironmentsOf(example).ToList();
            if (environments.Count == 0)
            {
                data.Add(example, "");
            }

            foreach (var environment in environments)
            {
                data.Add(example, environment);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Example_builds_its_golden_output_verifies_and_is_deterministic(string example, string environment)
    {
        var intent = $"examples/{example}/{IntentFile}";
        var envArgs = environment.Length == 0 ? Array.Empty<string>() : ["--env", environment];
        var golden = Path.Combine(ExamplesRoot, example, OutputFolder, environment);

        var first = Path.Combine(temp, "first");
        var build = Npgen.Run(["build", intent, .. envArgs, "-o", first + "/"]);
        Assert.True(build.ExitCode == 0, build.ToString());

        if (UpdateGolden)
        {
            var update = Npgen.Run(["build", intent, .. envArgs, "-o", Path.GetRelativePath(Npgen.Repo, golden) + "/"]);
            Assert.True(update.ExitCode == 0, update.ToString());
        }

        Assert.True(Directory.Exists(golden), $"{Path.GetRelativePath(Npgen.Repo, golden)} is missing: run the tests with NPGEN_UPDATE_GOLDEN=1, then review and commit it");
        AssertSameFiles(golden, first);

        var verify = Npgen.Run(["verify", intent, .. envArgs]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("verified: ", verify.StdOut, StringComparison.Ordinal);

        var second = Path.Combine(temp, "second");
        var again = Npgen.Run(["build", intent, .. envArgs, "-o", second + "/"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        AssertSameFiles(first, second);
    }

    [Fact]
    public void Every_example_is_built_and_an_example_with_environments_has_only_their_golden_folders()
    {
        var names = ExampleNames().ToList();
        Assert.Contains("bookstore", names);
        Assert.Contains("recipe-01-deny-all-to-app", names);
        Assert.Contains("egress-public-internet-only", names);
        foreach (var example in names)
        {
            var environments = EnvironmentsOf(example).ToList();
            var output = Path.Combine(ExamplesRoot, example, OutputFolder);
            if (environments.Count > 0 && Directory.Exists(output))
            {
                Assert.Empty(Directory.GetFiles(output));
                Assert.Equal(environments, Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            }
        }
    }

    /// <summary>Same relative paths, and every file byte for byte the same.</summary>
    private static void AssertSameFiles(string expectedDirectory, string actualDirectory)
    {
        var expected = RelativeFiles(expectedDirectory);
        var actual = RelativeFiles(actualDirectory);
        Assert.Equal(expected, actual);
        foreach (var file in expected)
        {
            var expectedBytes = File.ReadAllBytes(Path.Combine(expectedDirectory, file));
            var actualBytes = File.ReadAllBytes(Path.Combine(actualDirectory, file));
            if (!expectedBytes.AsSpan().SequenceEqual(actualBytes))
            {
                // Show the difference as text first, then insist on the bytes (line endings, encoding).
                Assert.Equal(System.Text.Encoding.UTF8.GetString(expectedBytes), System.Text.Encoding.UTF8.GetString(actualBytes));
                Assert.Fail($"{file}: same text, different bytes");
            }
        }
    }

    private static List<string> RelativeFiles(string directory)
        => [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];
}
