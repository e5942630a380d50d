using PolicyGen.Manifests;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Pipeline;

/// <summary>
/// The bundled templates are rendered without Scriban (BundledRenderer) unless --templates is
/// given. That path must give the template engine's bytes exactly, and the same policies as reading
/// those bytes back, on every example and on generated intents of every shape.
/// </summary>
public sealed class BundledRendererTests
{
    public static TheoryData<string> Intents()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(ConformanceCase.RepositoryRoot(), "examples");
        foreach (var file in Directory.EnumerateFiles(root, "intents.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(ConformanceCase.RepositoryRoot(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Intents))]
    public void Bundled_renderer_equals_the_templates_on_every_example(string intent)
        => AssertSame(Path.Combine(ConformanceCase.RepositoryRoot(), intent));

    [Theory]
    [InlineData("S", 1)]
    [InlineData("S", 2)]
    [InlineData("real", 3)]
    [InlineData("fuzz", 4)]
    [InlineData("fuzz", 5)]
    public void Bundled_renderer_equals_the_templates_on_generated_intents(string preset, int seed)
    {
        var dir = Directory.CreateTempSubdirectory("npgen-render-").FullName;
        try
        {
            var parameters = WorkloadParameters.FromPreset(preset)! with { Namespaces = 12, Pods = 150, Policies = 20 };
            var workload = WorkloadGenerator.Generate(preset == "fuzz" ? WorkloadParameters.FromPreset("fuzz")! : parameters, (ulong)seed);
            File.WriteAllText(Path.Combine(dir, "intent.yaml"), WorkloadIntentWriter.Write(workload));
            AssertSame(Path.Combine(dir, "intent.yaml"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void AssertSame(string intentPath)
    {
        var fast = BuildPipeline.Run(intentPath, new BuildOptions());
        var engine = BuildPipeline.Run(intentPath, new BuildOptions { UseTemplateEngine = true });
        Assert.True(engine.Succeeded, string.Join("\n", engine.Diagnostics));
        Assert.True(fast.Succeeded, string.Join("\n", fast.Diagnostics));
        Assert.Equal(engine.Policies.Select(p => p.Yaml), fast.Policies.Select(p => p.Yaml));
        Assert.Equal(engine.Policies.Select(p => p.TemplatePath), fast.Policies.Select(p => p.TemplatePath));
        Assert.Equal(engine.Policies.Select(p => Canonical(p.Parsed)), fast.Policies.Select(p => Canonical(p.Parsed)));
        Assert.Equal(engine.Verification!.FlowsChecked, fast.Verification!.FlowsChecked);
    }

    /// <summary>A policy's meaning as text: the manifest writer's rendering of the record (locations aside).</summary>
    private static string Canonical(Model.NetworkPolicy policy)
    {
        var text = new StringWriter();
        ManifestWriter.WritePolicy(text, policy);
        return text.ToString();
    }
}
