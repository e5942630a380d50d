namespace PolicyGen.Cli.Tests.Review;

/// <summary>
/// npgen graph and npgen matrix -o dot|mermaid|svg: the structure of the picture (namespace
/// frames, edges with ports, outside networks and presets, isolated vs open), that Graphviz renders
/// the dot and the Mermaid is well formed, and that the committed pictures are what the command draws.
/// </summary>
public sealed class GraphCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-graph-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>The committed pictures and the commands that draw them (as the READMEs say).</summary>
    public static TheoryData<string, string[]> Pictures => new()
    {
        { "examples/shop/connectivity.svg", ["graph", "examples/shop/intents.yaml", "--env", "prod", "-o", "svg"] },
        { "examples/bookstore/connectivity.svg", ["graph", "examples/bookstore/intents.yaml", "-o", "svg"] },
    };

    private static readonly string[] MixedApps = ["vault", "board", "gate"];
    private static readonly string[] MixedLegend = ["isolated: only the drawn flows", "open: no policy isolates it", "isolated for ingress only: may call anything"];

    private static IEnumerable<string> ExampleIntents()
        => Directory.EnumerateDirectories(Path.Combine(Npgen.Repo, "examples")).Select(d => Path.Combine(d, "intents.yaml")).Where(File.Exists).Order(StringComparer.Ordinal);

    [Fact]
    public void The_shop_graph_frames_apps_by_namespace_and_labels_edges_with_ports()
    {
        var run = Npgen.Run("graph", "examples/shop/intents.yaml", "--env", "prod", "-o", "dot");

        Assert.True(run.ExitCode == 0, run.ToString());
        var graph = GraphText.FromDot(run.StdOut);
        Assert.Equal("shop", graph.Nodes["web"].Frame);
        Assert.Equal("shop", graph.Nodes["api"].Frame);
        Assert.Equal("shop", graph.Nodes["worker"].Frame);
        Assert.Equal("shop-data", graph.Nodes["db"].Frame);
        Assert.Equal("monitoring", graph.Nodes["pods app.kubernetes.io/name=prometheus"].Frame);
        var partner = graph.Nodes.Keys.Single(k => k.StartsWith("network partner-api", StringComparison.Ordinal));
        var apiServer = graph.Nodes.Keys.Single(k => k.StartsWith("API server", StringComparison.Ordinal));
        var ingress = graph.Nodes.Keys.Single(k => k.StartsWith("ingress controller", StringComparison.Ordinal));
        Assert.Contains("198.51.100.0/24", partner); // prod's range
        Assert.Null(graph.Nodes[partner].Frame);
        Assert.Contains("parallelogram", graph.Nodes[partner].Style);
        Assert.Contains("hexagon", graph.Nodes[apiServer].Style);
        Assert.Equal("8000/TCP", graph.Edge("web", "api")?.Label);
        Assert.Equal("5432/TCP", graph.Edge("api", "db")?.Label);
        Assert.Equal("443/TCP", graph.Edge("api", partner)?.Label);
        Assert.Equal("443/TCP, 6443/TCP", graph.Edge("worker", apiServer)?.Label);
        Assert.Equal("8080/TCP", graph.Edge(ingress, "web")?.Label);
        Assert.Equal("9090/TCP", graph.Edge("pods app.kubernetes.io/name=prometheus", "worker")?.Label);
        Assert.Equal("53/TCP, 53/UDP", graph.Edge("web", "DNS")?.Label);
        Assert.Null(graph.Edge("web", "db"));
        Assert.DoesNotContain(graph.Edges, e => e.From == "db"); // egress: none
        Assert.Contains("legend", run.StdOut);
    }

    [Fact]
    public void Isolated_half_isolated_and_open_apps_are_drawn_apart_with_a_legend()
    {
        var intent = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(intent, """
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: mixed}
            spec:
              namespaces:
                locked: {managed: true}
                loose: {}
              apps:
                vault: {namespace: locked, selector: {app: vault}, ports: {https: 8200/TCP}}
                board: {namespace: loose, selector: {app: board}}
                gate:
                  namespace: loose
                  selector: {app: gate}
                  ports: {http: 80/TCP}
                  ingress: [{from: [{app: board}], ports: [http]}]
            """);

        var dot = Npgen.Run("graph", intent, "-o", "dot");
        var mermaid = Npgen.Run("graph", intent, "-o", "mermaid");

        Assert.True(dot.ExitCode == 0, dot.ToString());
        var fromDot = GraphText.FromDot(dot.StdOut);
        var fromMermaid = GraphText.FromMermaid(mermaid.StdOut);
        Assert.Contains("bold", fromDot.Nodes["vault"].Style);
        Assert.Contains("dashed", fromDot.Nodes["board"].Style);
        Assert.DoesNotContain("dashed", fromDot.Nodes["gate"].Style);
        Assert.Equal(3, MixedApps.Select(a => fromDot.Nodes[a].Style).Distinct().Count());
        Assert.Equal(("isolated", "open", "ingressOnly"), (fromMermaid.Nodes["vault"].Style, fromMermaid.Nodes["board"].Style, fromMermaid.Nodes["gate"].Style));
        foreach (var legend in MixedLegend)
        {
            Assert.Contains(legend, dot.StdOut);
            Assert.Contains(legend, mermaid.StdOut);
        }
    }

    [GraphvizFact]
    public void Every_examples_dot_renders_with_graphviz_and_its_mermaid_is_well_formed()
    {
        var intents = ExampleIntents().ToList();
        Assert.NotEmpty(intents);
        foreach (var intent in intents)
        {
            var dot = Npgen.Run("graph", intent, "-o", "dot");
            var mermaid = Npgen.Run("graph", intent, "-o", "mermaid");
            Assert.True(dot.ExitCode == 0 && mermaid.ExitCode == 0, intent + "\n" + dot + mermaid);

            var (exit, svg, errors) = Graphviz.Render(dot.StdOut);
            Assert.True(exit == 0 && errors.Length == 0, $"{intent}: dot -Tsvg: {errors}");
            var fromDot = GraphText.FromDot(dot.StdOut);
            var fromMermaid = GraphText.FromMermaid(mermaid.StdOut);
            Assert.Equal(fromDot.Nodes.Keys.Order(), fromMermaid.Nodes.Keys.Order());
            Assert.Equal(fromDot.Edges.Order(), fromMermaid.Edges.Order());
            var text = System.Net.WebUtility.HtmlDecode(svg); // Graphviz writes - as &#45;
            Assert.All(fromDot.Nodes.Keys, label => Assert.Contains(label.Split('\n')[0], text));
        }
    }

    [GraphvizFact]
    public void The_matrix_draws_the_evaluated_manifests()
    {
        var dot = Npgen.Run("matrix", "-f", "examples/cluster/", "-o", "dot");
        var mermaid = Npgen.Run("matrix", "-f", "examples/cluster/", "-o", "mermaid");

        Assert.True(dot.ExitCode == 0, dot.ToString());
        Assert.Equal(0, Graphviz.Render(dot.StdOut).ExitCode);
        var graph = GraphText.FromDot(dot.StdOut);
        Assert.Equal(graph.Edges.Order(), GraphText.FromMermaid(mermaid.StdOut).Edges.Order());
        Assert.Equal("shop", graph.Nodes["web\n(Deployment)"].Frame);
        Assert.Equal("8080/TCP", graph.Edge("web\n(Deployment)", "api\n(Deployment)")?.Label);
        Assert.Equal("5432/TCP", graph.Edge("api\n(Deployment)", "db\n(StatefulSet)")?.Label);
        Assert.Null(graph.Edge("web\n(Deployment)", "db\n(StatefulSet)"));
        Assert.Contains("dashed", graph.Nodes["prometheus\n(Deployment)"].Style); // no policy isolates it
        Assert.Contains("bold", graph.Nodes["db\n(StatefulSet)"].Style);
    }

    [Fact]
    public void Svg_without_graphviz_names_the_package_to_install()
    {
        var empty = Directory.CreateDirectory(Path.Combine(temp, "bin")).FullName;

        var run = Npgen.RunIn(Npgen.Repo, new Dictionary<string, string> { ["PATH"] = empty }, null, "graph", "examples/shop/intents.yaml", "-o", "svg");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NPG850", run.StdErr);
        Assert.Contains("apt-get install graphviz", run.StdErr);
        Assert.Equal("", run.StdOut);
    }

    [GraphvizFact]
    public void The_same_intent_always_draws_the_same_svg()
    {
        var first = Npgen.Run("graph", "examples/shop/intents.yaml", "-o", "svg");
        var second = Npgen.Run("graph", "examples/shop/intents.yaml", "-o", "svg");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.StdOut, second.StdOut);
        Assert.DoesNotContain("graphviz version", first.StdOut);
        Assert.Contains("dot source sha256:", first.StdOut);
    }

    [GraphvizTheory]
    [MemberData(nameof(Pictures))]
    public void The_committed_pictures_are_what_the_command_draws(string picture, string[] command)
    {
        var run = Npgen.Run(command);

        Assert.True(run.ExitCode == 0, run.ToString());
        var committed = File.ReadAllText(Path.Combine(Npgen.Repo, picture));
        Assert.True(committed == run.StdOut, $"{picture} is stale: regenerate it with npgen {string.Join(' ', command)} > {picture}");
        var readme = File.ReadAllText(Path.Combine(Npgen.Repo, Path.GetDirectoryName(picture)!, "README.md"));
        Assert.Contains("(connectivity.svg)", readme);
        Assert.Contains($"npgen {string.Join(' ', command)} > {picture}", readme);
    }
}
