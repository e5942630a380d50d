using PolicyGen.Compile;
using PolicyGen.Core.Tests.Review;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// A plan's values and shape are taken without building its script objects when its shape's frame
/// is trusted: they must be exactly those the render model collects, in the same order, or a plan
/// would be filled with another plan's frame or its values in the wrong places.
/// </summary>
public sealed class PlanValuesWalkTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-plan-values-");

    public void Dispose() => scratch.Delete(recursive: true);

    private static void AssertSameValues(IEnumerable<PolicyPlan> plans)
    {
        var count = 0;
        foreach (var plan in plans)
        {
            var fromModel = new PlanValues();
            RenderModel.Of(plan, fromModel);
            var walked = RenderModel.ValuesOf(plan);
            Assert.Equal(fromModel.Shape, walked.Shape);
            Assert.Equal(fromModel.Values, walked.Values);
            Assert.Equal(fromModel.Framable, walked.Framable);
            count++;
        }

        Assert.True(count > 0);
    }

    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Every_examples_plans_give_the_same_values_without_a_model(string example, string environment)
    {
        var intent = Path.Combine(ConformanceCase.RepositoryRoot(), "examples", example, "intents.yaml");
        var build = BuildPipeline.Run(intent, new BuildOptions { Environment = environment.Length == 0 ? null : environment, Verify = false });
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        AssertSameValues(build.Policies.Select(p => p.Plan));
    }

    public static TheoryData<string, string> ExampleBuilds() => ImportRoundTripTests.ExampleBuilds();

    [Fact]
    public void A_generated_intents_plans_give_the_same_values_without_a_model()
    {
        var parameters = WorkloadParameters.FromPreset("M")! with { Apps = 100 };
        var intent = Path.Join(scratch.FullName, "intent.yaml");
        File.WriteAllText(intent, WorkloadIntentWriter.Write(WorkloadGenerator.Generate(parameters, 2)));
        var build = BuildPipeline.Run(intent, new BuildOptions { Verify = false });
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        AssertSameValues(build.Policies.Select(p => p.Plan with { SyncWave = null, Environment = "prod" }).Concat(build.Policies.Select(p => p.Plan)));
    }
}
