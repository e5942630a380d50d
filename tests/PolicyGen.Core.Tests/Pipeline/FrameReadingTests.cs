using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PolicyGen.Compile;
using PolicyGen.Core.Tests.Review;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using PolicyGen.Workloads;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Pipeline;

/// <summary>
/// A policy filled from a trusted frame takes its NetworkPolicy from the frame's reading with its
/// values put in: it must be exactly what reading its text gives (every field, every location, every
/// diagnostic), for every example and a generated intent, and values whose reading could depend on
/// what they are must be read from the text.
/// </summary>
public sealed class FrameReadingTests : IDisposable
{
    private static string Examples => Path.Combine(ConformanceCase.RepositoryRoot(), "examples");

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-frame-reading-");

    public void Dispose() => scratch.Delete(recursive: true);

    public static TheoryData<string, string> ExampleBuilds() => ImportRoundTripTests.ExampleBuilds();

    /// <summary>Reads the rendered policies both ways and asserts the same policies and diagnostics; returns how many came from a frame.</summary>
    private static int AssertSameAsParsing(ImmutableArray<RenderedPolicy> rendered)
    {
        var quickDiagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var parsedDiagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var quick = RenderedPolicyReader.Read(rendered, quickDiagnostics, fromFrames: true, out var fromFrames);
        var parsed = RenderedPolicyReader.Read(rendered, parsedDiagnostics, fromFrames: false, out var none);
        Assert.Equal(0, none);
        Assert.Equal(parsedDiagnostics.Select(d => d.ToString()), quickDiagnostics.Select(d => d.ToString()));
        Assert.Equal(parsed.Length, quick.Length);
        for (var i = 0; i < parsed.Length; i++)
        {
            Assert.Equal(parsed[i].Plan, quick[i].Plan);
            Assert.Equal(parsed[i].Yaml, quick[i].Yaml);
            Assert.Equal(Dump(parsed[i].Parsed), Dump(quick[i].Parsed));
        }

        return fromFrames;
    }

    private static ImmutableArray<RenderedPolicy> Render(IReadOnlyList<PolicyPlan> plans, TemplateSet? templates = null)
    {
        var (rendered, diagnostics) = PolicyRenderer.Render(plans, templates ?? new TemplateSet());
        Assert.Empty(diagnostics);
        return rendered;
    }

    private static IReadOnlyList<PolicyPlan> Plans(BuildResult build)
    {
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        return [.. build.Policies.Select(p => p.Plan)];
    }

    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Every_example_reads_the_same_from_frames_as_from_its_text(string example, string environment)
    {
        var build = BuildPipeline.Run(Path.Combine(Examples, example, "intents.yaml"), new BuildOptions { Environment = environment.Length == 0 ? null : environment });
        AssertSameAsParsing(Render(Plans(build)));
    }

    [Fact]
    public void A_generated_intent_reads_the_same_and_most_policies_come_from_frames()
    {
        var parameters = WorkloadParameters.FromPreset("M")! with { Apps = 200 };
        var intent = Path.Join(scratch.FullName, "intent.yaml");
        File.WriteAllText(intent, WorkloadIntentWriter.Write(WorkloadGenerator.Generate(parameters, 1)));
        var rendered = Render(Plans(BuildPipeline.Run(intent, new BuildOptions { Verify = false })));
        var filled = rendered.Count(p => p.Filled is not null);
        Assert.True(filled >= rendered.Length / 2, $"only {filled} of {rendered.Length} policies were filled from a frame");

        var fromFrames = AssertSameAsParsing(rendered);
        Assert.Equal(filled, fromFrames);
    }

    [Fact]
    public void A_build_proves_the_same_policies_whichever_way_they_were_read()
    {
        var build = BuildPipeline.Run(LoadValid(ManyApps(8)), new BuildOptions());
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        Assert.Contains(build.Policies, p => p.Plan.Name == "app7-ingress");
        var fromFrames = AssertSameAsParsing(Render(Plans(build)));
        Assert.True(fromFrames > 0);
    }

    /// <summary>
    /// Values that YAML would read as another type or as structure if printed plain: quoted, they
    /// read as the same strings (in annotations, which take any text, and in label values).
    /// </summary>
    [Fact]
    public void Yaml_special_values_inside_quotes_read_the_same_from_frames()
    {
        string[] special = ["true", "null", "~", "yes", "1e3", "0x1F", "-x", ":x", "#x", "a: b", "a #b", "- x", "[x]", "{x}", "'x'", "\"x\"", "x\\y", "tRuE", "0o17", "1_000", ".inf", "8080", "-1"];
        string[] labelValues = ["true", "null", "yes", "1e3", "0x1F", "tRuE", "1_000", "8080", "NO", "y"];
        var template = Plans(BuildPipeline.Run(LoadValid(ManyApps(1)), new BuildOptions())).First(p => p.Template == IntentCompiler.AppIngressTemplate);
        var plans = special.Select((value, i) => template with
        {
            Name = $"p{i}-ingress",
            Source = value,
            Environment = value,
            SyncWave = value,
            PodSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("app", labelValues[i % labelValues.Length]), new("tier", "web")]),
        }).ToList();

        var rendered = Render(plans);
        Assert.Equal(special.Length - 2, rendered.Count(p => p.Filled is not null));
        Assert.Equal(special.Length - 2, AssertSameAsParsing(rendered));
    }

    /// <summary>
    /// A value printed raw (a port) must be a plain decimal integer; anything else (which a plan
    /// cannot carry today, so the fill is made by hand) is read from its text, with its diagnostics.
    /// </summary>
    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("0o17")]
    [InlineData("007")]
    [InlineData("+80")]
    [InlineData("yes")]
    [InlineData("-")]
    [InlineData("http")]
    [InlineData("80 # comment")]
    [InlineData("a: b")]
    [InlineData("99999999999")]
    public void A_raw_value_that_is_not_a_plain_integer_is_read_from_its_text(string value)
    {
        var rendered = FilledIngress();
        var last = rendered[^1];
        var fill = last.Filled!;
        var raw = RawValues(fill.Frame);
        Assert.NotEmpty(raw);
        var values = fill.Values.ToArray();
        values[raw[0]] = value;
        var crafted = Refill(last, values);

        var fromFrames = AssertSameAsParsing([.. rendered.SkipLast(1), crafted]);
        Assert.Equal(rendered.Count(p => p.Filled is not null) - 1, fromFrames);
    }

    [Fact]
    public void A_raw_negative_or_out_of_range_port_is_rejected_with_the_texts_own_location()
    {
        var rendered = FilledIngress();
        var last = rendered[^1];
        var raw = RawValues(last.Filled!.Frame);
        var values = last.Filled!.Values.ToArray();
        values[raw[0]] = "-5";
        var crafted = Refill(last, values);

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        RenderedPolicyReader.Read([crafted], diagnostics, fromFrames: true, out var fromFrames);
        Assert.Equal(0, fromFrames);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.GeneratedPolicyInvalid, error.Code);
        var line = crafted.Yaml.Split('\n')[error.Location!.Line - 1];
        Assert.Contains("-5", line[(error.Location.Column - 1)..], StringComparison.Ordinal);
        AssertSameAsParsing([.. rendered.SkipLast(1), crafted]);
    }

    /// <summary>Two label keys that become one in the text: YAML refuses the duplicate key, so the frame must not stand in for it.</summary>
    [Fact]
    public void Label_keys_that_collide_are_read_from_the_text()
    {
        var rendered = FilledIngress();
        var last = rendered[^1];
        var values = last.Filled!.Values.ToArray();
        var tier = Array.IndexOf(values, "tier");
        Assert.True(tier >= 0);
        values[tier] = "app";
        var crafted = Refill(last, values);

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        Assert.Empty(RenderedPolicyReader.Read([crafted], diagnostics, fromFrames: true, out var fromFrames));
        Assert.Equal(0, fromFrames);
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.GeneratedPolicyInvalid && d.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase));
        AssertSameAsParsing([.. rendered.SkipLast(1), crafted]);
    }

    [Fact]
    public void Non_ascii_and_very_long_values_are_read_from_the_text()
    {
        var template = Plans(BuildPipeline.Run(LoadValid(ManyApps(1)), new BuildOptions())).First(p => p.Template == IntentCompiler.AppIngressTemplate);
        string[] values = ["a", "b", "caf\u00e9", new('k', 1100), "\U0001F600", "c"];
        var plans = values.Select((value, i) => template with
        {
            Name = $"p{i}-ingress",
            PodSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(value, "x"), new("tier", "web")]),
        }).ToList();

        var rendered = Render(plans);
        Assert.Equal(4, rendered.Count(p => p.Filled is not null));
        Assert.Equal(1, AssertSameAsParsing(rendered)); // only "c": the others are parsed
    }

    [Fact]
    public void A_changed_template_keeps_every_policy_on_the_slow_path()
    {
        var text = TemplateSet.Bundled("app-ingress.sbn")!.Replace("spec:\n", "# changed\nspec:\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Join(scratch.FullName, "app-ingress.sbn"), text);
        var templates = new TemplateSet(scratch.FullName);
        var rendered = Render(Plans(BuildPipeline.Run(LoadValid(ManyApps(8)), new BuildOptions { TemplatesDirectory = scratch.FullName })), templates);
        Assert.All(rendered, p => Assert.Null(p.Filled));
        Assert.Equal(0, AssertSameAsParsing(rendered));
    }

    /// <summary>Ingress policies of one shape, rendered: the first two through Scriban, the rest filled from the frame.</summary>
    private static ImmutableArray<RenderedPolicy> FilledIngress()
    {
        var template = Plans(BuildPipeline.Run(LoadValid(ManyApps(1)), new BuildOptions())).First(p => p.Template == IntentCompiler.AppIngressTemplate);
        var plans = Enumerable.Range(0, 4).Select(i => template with
        {
            Name = $"p{i}-ingress",
            PodSelector = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("app", $"a{i}"), new("tier", "tier")]),
        }).ToList();
        var rendered = Render(plans);
        Assert.NotNull(rendered[^1].Filled);
        return rendered;
    }

    private static List<int> RawValues(RenderFrame frame)
    {
        var raw = new List<int>();
        frame.Fill((value, quoted) =>
        {
            if (!quoted)
            {
                raw.Add(value);
            }

            return "1";
        }, null, nestedQuotes: true);
        return raw;
    }

    /// <summary>The policy's frame filled with other values, as the renderer fills it.</summary>
    private static RenderedPolicy Refill(RenderedPolicy policy, string[] values)
    {
        var frame = policy.Filled!.Frame;
        var starts = new int[frame.TopPartCount + 1];
        var text = FrameCache.Finish(frame.Fill((value, _) => values[value], starts, nestedQuotes: true))!;
        return policy with { Yaml = text, Filled = new FrameFill(frame, values, starts) };
    }

    /// <summary>Apps a0..aN-1 in one namespace, each called by the next one on its port: one ingress shape for all.</summary>
    private static string ManyApps(int count)
    {
        var text = new StringBuilder("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: frames}
            spec:
              namespaces:
                shop: {managed: true}
              apps:

            """);
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""
                    app{{i}}:
                      namespace: shop
                      selector: {app: app{{i}}}
                      ports: {http: {{8000 + i}}/TCP}
                      ingress:
                      - from: [{app: app{{(i + 1) % count}}}]
                        ports: [http]

                """);
        }

        return text.ToString();
    }

    /// <summary>Every field of a NetworkPolicy as text, locations included (the records hold immutable collections, which compare by reference).</summary>
    private static string Dump(NetworkPolicy policy)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{policy.Namespace}/{policy.Name} at {policy.Location}");
        text.AppendLine("labels " + string.Join(",", policy.Labels.Select(l => $"{l.Key}={l.Value}")));
        text.AppendLine("annotations " + string.Join(",", policy.Annotations.Select(l => $"{l.Key}={l.Value}")));
        text.AppendLine("podSelector " + Selector(policy.PodSelector));
        text.AppendLine("policyTypes " + (policy.PolicyTypes is { } types ? "[" + string.Join(",", types) + "]" : "absent"));
        foreach (var (direction, rules) in new[] { ("ingress", policy.Ingress), ("egress", policy.Egress) })
        {
            foreach (var rule in rules)
            {
                text.AppendLine(direction);
                foreach (var peer in rule.Peers)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  peer pod={Selector(peer.PodSelector)} ns={Selector(peer.NamespaceSelector)} block={(peer.IpBlock is { } b ? b.Cidr + " except " + string.Join(",", b.Except) : "none")}");
                }

                foreach (var port in rule.Ports)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  port {port.Protocol ?? "(none)"} number={port.Port?.Number} name={port.Port?.Name} end={port.EndPort}");
                }
            }
        }

        foreach (var (path, location) in policy.FieldLocations.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{path} at {location.File}:{location.Line}:{location.Column}");
        }

        return text.ToString();
    }

    private static string Selector(LabelSelector? selector)
        => selector is null ? "absent"
            : "{" + string.Join(",", selector.MatchLabels.Select(l => $"{l.Key}={l.Value}"))
                + ";" + string.Join(",", selector.MatchExpressions.Select(e => $"{e.Key} {e.Operator} [{string.Join(",", e.Values)}]")) + "}";
}
