using System.CommandLine;
using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen build</c>: intent in, verified NetworkPolicy YAML out.</summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var intent = new Argument<string>("intent") { Description = "The intent file (apiVersion: npgen.dev/v1alpha1, kind: NetworkIntent)." };
        var env = new Option<string?>("--env", "-e") { Description = "Merge environments/ENV.yaml (next to the intent file) over the intent." };
        var overlays = new Option<string[]>("--overlay") { Description = "Overlay file to merge after --env; repeatable, applied in order." };
        var templates = new Option<string?>("--templates") { Description = "Directory of .sbn templates that override the bundled ones, file by file." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the proof that the policies allow exactly what the intent allows (not recommended)." };

        var command = new Command("build", """
            Compile an intent file into standard networking.k8s.io/v1 NetworkPolicy YAML, check it
            with the API server's rules, and prove with the core evaluator that it allows exactly
            what the intent allows (and that every expect: holds). Nothing is printed or written
            unless every check passes.

            Examples:
              # One YAML stream on stdout, like kustomize build
              npgen build examples/bookstore/intents.yaml

              # The production variant, straight into kubectl
              npgen build examples/shop/intents.yaml --env prod | kubectl apply -f -

              # With your own copy of a template (the build fails if it changes the meaning)
              npgen build intents.yaml --templates my-templates/
            """)
        {
            intent, env, overlays, templates, noVerify,
        };

        command.SetAction(result =>
        {
            var options = new BuildOptions
            {
                Environment = result.GetValue(env),
                Overlays = result.GetValue(overlays) ?? [],
                TemplatesDirectory = result.GetValue(templates),
                Verify = !result.GetValue(noVerify),
            };
            var build = BuildPipeline.Run(result.GetValue(intent)!, options);
            foreach (var diagnostic in build.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            if (!build.Succeeded)
            {
                var verificationFailed = build.Diagnostics.Any(d => d.Severity == Severity.Error
                    && d.Code is DiagnosticCodes.VerificationMismatch or DiagnosticCodes.ExpectationFailed);
                Console.Error.WriteLine(verificationFailed
                    ? "npgen build: verification failed; nothing was written."
                    : "npgen build: the intent has errors; nothing was written.");
                return verificationFailed ? ExitCodes.CheckFailed : ExitCodes.BadInput;
            }

            Console.Out.Write(BuildOutput.Stream(build));
            return ExitCodes.Ok;
        });
        return command;
    }
}
