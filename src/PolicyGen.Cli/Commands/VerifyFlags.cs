using System.CommandLine;

namespace PolicyGen.Cli.Commands;

/// <summary>The options of <c>npgen verify</c>, and <see cref="Read"/>: the <see cref="VerifySettings"/> they say.</summary>
internal sealed class VerifyFlags
{
    public Argument<string> Intent { get; } = new("intent") { Description = IntentArgument.Description };

    public Option<string?> Environment { get; } = IntentArgument.EnvironmentOption("Merge environments/ENV.yaml (next to the intent file) over the intent; --env alone lists them.");

    public Option<string[]> Overlays { get; } = new("--overlay") { Description = "Overlay file to merge after --env; repeatable, applied in order." };

    public Option<string?> Templates { get; } = new("--templates") { Description = "Directory of .sbn templates that override the bundled ones, file by file." };

    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Output format: text (default), json or yaml (a VerifyReport)." };

    public Option<bool> Rendered { get; } = new("--rendered") { Description = "Check the NetworkPolicies in the -f stream (after kustomize or any other tool) against the intent." };

    public Option<string[]> RenderedFiles { get; } = new("--filename", "-f")
    {
        Description = "With --rendered: rendered manifests, a file, a directory (*.yaml, *.yml, *.json, recursively) or - for stdin. Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public IEnumerable<Option> Options => [Environment, Overlays, Templates, Output, Rendered, RenderedFiles];

    /// <summary>The settings, or null after a message when the flags do not go together (exit 2).</summary>
    public VerifySettings? Read(ParseResult result, CommandConsole console)
    {
        var intent = result.GetValue(Intent)!;
        if (IntentArgument.ReportEnvironmentWithoutName(result, Environment, intent, "verify", console))
        {
            return null;
        }

        var output = result.GetValue(Output);
        if (output is not (null or "text" or "json" or "yaml"))
        {
            console.Error.WriteLine($"npgen verify: -o \"{output}\" is not a format; use text, json or yaml (verify writes no policies)");
            return null;
        }

        var files = result.GetValue(RenderedFiles);
        var rendered = result.GetValue(Rendered);
        if ((rendered || files is { Length: > 0 }) && (!rendered || files is not { Length: > 0 }))
        {
            console.Error.WriteLine("npgen verify: --rendered and -f go together: npgen verify INTENT --rendered -f FILE|DIR|-");
            return null;
        }

        var environment = result.GetValue(Environment);
        return new VerifySettings(
            intent,
            environment,
            IntentBuildRun.Options(environment, result.GetValue(Overlays), result.GetValue(Templates)),
            output is "json" or "yaml" ? output : null,
            rendered ? files : null);
    }
}
