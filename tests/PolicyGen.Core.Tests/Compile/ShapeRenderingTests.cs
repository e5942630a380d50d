using PolicyGen.Compile;
using PolicyGen.Core.Tests.Review;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using PolicyGen.Workloads;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// The bundled templates render once per plan shape and the other plans of a shape fill that
/// rendering with their values: the bytes must be exactly what Scriban renders for each plan on its
/// own, for every example and a generated intent with many apps; a user's template (which may
/// branch on a value) renders every plan through Scriban.
/// </summary>
public sealed class ShapeRenderingTests : IDisposable
{
    private static string Examples => Path.Combine(ConformanceCase.RepositoryRoot(), "examples");

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-shapes-");

    public void Dispose() => scratch.Delete(recursive: true);

    public static TheoryData<string, string> ExampleBuilds() => ImportRoundTripTests.ExampleBuilds();

    private static IReadOnlyList<PolicyPlan> Plans(BuildResult build)
    {
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        return [.. build.Policies.Select(p => p.Plan)];
    }

    /// <summary>Renders both ways and asserts the same policies, byte for byte; returns how many came from a frame.</summary>
    private static int AssertSameAsScriban(IReadOnlyList<PolicyPlan> plans, TemplateSet templates)
    {
        var (framed, framedDiagnostics) = PolicyRenderer.Render(plans, templates, reuseShapes: true, out var filled);
        var (each, eachDiagnostics) = PolicyRenderer.Render(plans, templates, reuseShapes: false, out var none);
        Assert.Equal(0, none);
        Assert.Empty(framedDiagnostics);
        Assert.Empty(eachDiagnostics);
        Assert.Equal(each.Length, framed.Length);
        for (var i = 0; i < each.Length; i++)
        {
            Assert.Equal(each[i].Plan.Id, framed[i].Plan.Id);
            Assert.Equal(each[i].TemplatePath, framed[i].TemplatePath);
            Assert.Equal(each[i].Yaml, framed[i].Yaml);
        }

        return filled;
    }

    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Every_example_renders_the_same_bytes_from_shapes_as_through_Scriban(string example, string environment)
    {
        var build = BuildPipeline.Run(Path.Combine(Examples, example, "intents.yaml"), new BuildOptions { Environment = environment.Length == 0 ? null : environment });
        AssertSameAsScriban(Plans(build), new TemplateSet());
    }

    [Fact]
    public void A_generated_intent_with_many_apps_renders_the_same_bytes_and_most_plans_come_from_shapes()
    {
        var parameters = WorkloadParameters.FromPreset("M")! with { Apps = 200 };
        var intent = Path.Join(scratch.FullName, "intent.yaml");
        File.WriteAllText(intent, WorkloadIntentWriter.Write(WorkloadGenerator.Generate(parameters, 1)));
        var plans = Plans(BuildPipeline.Run(intent, new BuildOptions { Verify = false }));
        Assert.True(plans.Count >= 200, $"{plans.Count} plans");

        var filled = AssertSameAsScriban(plans, new TemplateSet());
        Assert.True(filled >= plans.Count / 2, $"only {filled} of {plans.Count} plans were filled from a shape");
    }

    [Fact]
    public void An_unchanged_copy_of_the_bundled_templates_still_renders_from_shapes()
    {
        foreach (var name in TemplateSet.BundledNames)
        {
            File.WriteAllText(Path.Join(scratch.FullName, name), TemplateSet.Bundled(name));
        }

        var plans = Plans(BuildPipeline.Run(LoadValid(Intent), new BuildOptions()));
        var filled = AssertSameAsScriban(plans, new TemplateSet(scratch.FullName));
        Assert.True(filled > 0);
    }

    /// <summary>A user's template that branches on a value (one app's name): frames would give every plan of that shape the first plan's branch.</summary>
    [Fact]
    public void A_users_template_that_branches_on_a_value_renders_every_plan_through_Scriban()
    {
        var text = TemplateSet.Bundled("app-ingress.sbn")!.Replace("spec:\n", "{{ if policy.name == \"b-ingress\" }}# b is special\n{{ end }}spec:\n", StringComparison.Ordinal);
        Assert.NotEqual(TemplateSet.Bundled("app-ingress.sbn"), text);
        File.WriteAllText(Path.Join(scratch.FullName, "app-ingress.sbn"), text);

        var build = BuildPipeline.Run(LoadValid(Intent), new BuildOptions { TemplatesDirectory = scratch.FullName });
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        var ingress = build.Policies.Where(p => p.Plan.Template == IntentCompiler.AppIngressTemplate).ToDictionary(p => p.Plan.Name, p => p.Yaml);
        Assert.Contains("# b is special", ingress["b-ingress"], StringComparison.Ordinal);
        Assert.DoesNotContain("# b is special", ingress["a-ingress"], StringComparison.Ordinal);
        Assert.DoesNotContain("# b is special", ingress["c-ingress"], StringComparison.Ordinal);
        Assert.Equal(0, AssertSameAsScriban(Plans(build), new TemplateSet(scratch.FullName)));
    }

    /// <summary>Three apps whose ingress policies have one shape (a, b, c alike but for names), in a managed namespace.</summary>
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shapes}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            a:
              namespace: shop
              selector: {app: a}
              ports: {http: 8080/TCP}
              ingress:
              - from: [{app: c}]
                ports: [http]
            b:
              namespace: shop
              selector: {app: b}
              ports: {http: 8081/TCP}
              ingress:
              - from: [{app: a}]
                ports: [http]
            c:
              namespace: shop
              selector: {app: c}
              ports: {http: 8082/TCP}
              ingress:
              - from: [{app: b}]
                ports: [http]
        """;
}
