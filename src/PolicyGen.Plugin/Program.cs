using PolicyGen.Kustomize;

// npgen-plugin: the generator as kustomize and kpt run it. Native AOT, so it starts in milliseconds.
//   legacy exec plugin: kustomize passes one argument (the config file) and sets KUSTOMIZE_PLUGIN_CONFIG_ROOT;
//   KRM function:       `npgen-plugin krm`, or no arguments with a ResourceList on stdin (exec.path cannot pass arguments);
//                       `npgen-plugin validate` checks instead of generating (kpt validators whose config is the intent itself).
// The same binary is also installed as the NetworkIntentValidator legacy plugin; the config's kind tells the two apart.
var configRoot = Environment.GetEnvironmentVariable(LegacyExecPlugin.ConfigRootVariable);
PluginOutcome outcome;
if (LegacyExecPlugin.IsInvocation(args, configRoot))
{
    outcome = LegacyExecPlugin.Run(args[0], configRoot!, () => Console.In.ReadToEnd());
}
else if ((args is ["krm"] or ["validate"]) || (args.Length == 0 && Console.IsInputRedirected))
{
    outcome = KrmFunction.Run(Console.In.ReadToEnd(), Directory.GetCurrentDirectory(), validate: args is ["validate"]);
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

Console.Out.Write(outcome.StdOut);
Console.Error.Write(outcome.StdErr);
if (Environment.GetEnvironmentVariable("NPGEN_TIMINGS") == "1")
{
    Console.Error.Write(outcome.Timings);
}

return outcome.ExitCode;
