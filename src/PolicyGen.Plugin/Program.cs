using PolicyGen.Diagnostics;
using PolicyGen.Kustomize;

// npgen-plugin: the generator as kustomize and kpt run it. Native AOT, so it starts in milliseconds.
//   legacy exec plugin: kustomize passes one argument (the config file) and sets KUSTOMIZE_PLUGIN_CONFIG_ROOT;
//   KRM function:       `npgen-plugin krm`, or no arguments with a ResourceList on stdin (exec.path cannot pass arguments);
//                       `npgen-plugin validate` checks instead of generating (kpt validators whose config is the intent itself).
// The same binary is also installed as the NetworkIntentValidator legacy plugin; the config's kind tells the two apart.
// Paths in a generator config stay inside the kustomization unless whoever runs kustomize sets
// NPGEN_LOAD_RESTRICTOR=LoadRestrictionsNone (LoadRestrictor).
var configRoot = Environment.GetEnvironmentVariable(LegacyExecPlugin.ConfigRootVariable);
var loadRestrictor = Environment.GetEnvironmentVariable(LoadRestrictor.Variable);
var krm = false;
PluginOutcome outcome;
try
{
    if (LegacyExecPlugin.IsInvocation(args, configRoot))
    {
        outcome = LegacyExecPlugin.Run(args[0], configRoot!, loadRestrictor, Console.In, args[1..]);
    }
    else if ((args is ["krm"] or ["validate"]) || (args.Length == 0 && Console.IsInputRedirected))
    {
        krm = true;
        outcome = KrmFunction.Run(Console.In, Directory.GetCurrentDirectory(), loadRestrictor, validate: args is ["validate"]);
    }
    else
    {
        Console.Error.WriteLine("""
            npgen-plugin: the npgen generator for kustomize and kpt.

            As a legacy exec plugin, kustomize runs it with the generator config file:
              kubectl kustomize --enable-alpha-plugins overlays/prod
            As a KRM function, it reads a ResourceList on stdin (no arguments, or `krm`):
              kpt fn eval pkg --exec ./npgen-plugin --fn-config intents.yaml
              kustomize build --enable-alpha-plugins --enable-exec overlays/prod
            As a validator (kustomize validators: with a NetworkIntentValidator; kpt pipeline.validators),
            it checks the final stream against the intent and fails the build on any difference:
              kpt fn render pkg --allow-exec          # Kptfile: validators: [{exec: "npgen-plugin validate", configPath: intents.yaml}]

            See kustomize-plugin/README.md. To build policies by hand, use: npgen build intents.yaml
            """);
        return 2;
    }
}
catch (Exception e)
{
    // A bug, not the input's fault: exit 70 (not 1, a failed check), one line, the trace only on request.
    var message = InternalError.Format(e, "npgen-plugin", InternalError.DebugEnabled(Environment.GetEnvironmentVariable(InternalError.DebugVariable)));
    outcome = new PluginOutcome(krm ? KrmFunction.ErrorList(message.Split('\n')[0]) : "", message, InternalError.ExitCode);
}

Console.Out.Write(outcome.StdOut);
Console.Error.Write(TextEscaping.ForTerminal(outcome.StdErr));
if (Environment.GetEnvironmentVariable("NPGEN_TIMINGS") == "1")
{
    Console.Error.Write(outcome.Timings);
}

return outcome.ExitCode;
