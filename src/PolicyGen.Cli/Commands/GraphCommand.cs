using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Review;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen graph INTENT</c>: the picture of who may talk to whom.</summary>
internal static class GraphCommand
{
    public static Command Create(CommandConsole console)
    {
        var intent = new Argument<string>("intent") { Description = "The intent file (apiVersion: npgen.dev/v1alpha1, kind: NetworkIntent)." };
        var env = IntentOptions.Environment();
        var overlays = IntentOptions.Overlays();
        var output = new Option<string>("--output", "-o")
        {
            Description = "mermaid (a flowchart), md (the flowchart in a ```mermaid block for GitHub/GitLab Markdown), dot (Graphviz) or svg (runs Graphviz's dot -Tsvg).",
            DefaultValueFactory = _ => "mermaid",
        }.AcceptOnlyFromAmong("mermaid", "md", "dot", "svg");

        var command = new Command("graph", """
            Draw the intent: apps framed by namespace, an arrow for every flow it allows (calls,
            ingress rules, DNS) labelled with the ports, and the peers, networks and presets it names
            as nodes of their own. Apps isolated in both directions, in one, or open (no policy
            isolates them) have their own styles; a legend explains them. The same intent always
            draws the same picture.

            -o svg needs Graphviz (apt-get install graphviz); without it npgen says so (NPG850) and
            exits 2: write -o dot and render it elsewhere.

            Examples:
              # Mermaid, to paste into a README or a pull request
              npgen graph examples/shop/intents.yaml --env prod -o md

              # An SVG picture with Graphviz
              npgen graph examples/shop/intents.yaml -o svg > connectivity.svg

              # PNG: render the dot source yourself
              npgen graph examples/bookstore/intents.yaml -o dot | dot -Tpng > bookstore.png
            """)
        {
            intent, env, overlays, output,
        };

        command.SetAction(result =>
        {
            var loaded = IntentOptions.Load(result, intent, env, overlays, "graph", console, stdinTaken: false);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            var (apps, diagnostics) = AppConnectivity.Of(loaded);
            foreach (var diagnostic in diagnostics)
            {
                console.Error.WriteLine(diagnostic);
            }

            if (diagnostics.HasErrors())
            {
                return ExitCodes.BadInput;
            }

            var graph = IntentGraph.Build(loaded, apps, result.GetValue(env));
            return Write(graph, result.GetValue(output)!, "graph", console);
        });
        return command;
    }

    /// <summary>Writes the picture in the format asked for; shared with npgen matrix.</summary>
    public static int Write(ConnectivityGraph graph, string format, string command, CommandConsole console)
    {
        switch (format)
        {
            case "dot":
                console.Out.Write(GraphRenderer.Dot(graph));
                return ExitCodes.Ok;
            case "svg":
                var svg = Graphviz.Svg(GraphRenderer.Dot(graph), command, console);
                if (svg is null)
                {
                    return ExitCodes.BadInput;
                }

                console.Out.Write(svg);
                return ExitCodes.Ok;
            case "md":
                console.Out.Write("```mermaid\n" + GraphRenderer.Mermaid(graph) + "```\n");
                return ExitCodes.Ok;
            default:
                console.Out.Write(GraphRenderer.Mermaid(graph));
                return ExitCodes.Ok;
        }
    }
}
