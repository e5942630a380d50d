using System.CommandLine;
using PolicyGen.Intent;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen init</c>: a commented starter intent file that builds and verifies as it is.</summary>
internal static class InitCommand
{
    private const string DefaultFileName = "intents.yaml";

    public static Command Create(CommandConsole console)
    {
        var path = new Argument<string>("path")
        {
            Description = $"Where to write the file; a directory gets DIR/{DefaultFileName}; - prints it to stdout.",
            DefaultValueFactory = _ => DefaultFileName,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };
        var command = new Command("init", """
            Write a commented starter intent file that explains every section by example: a
            managed namespace, two apps with a calls edge, ingress from the ingress controller,
            a network with except, the DNS defaults and expectations. It builds and verifies as
            it is; edit it from there. An existing file is never overwritten without --force.

            Examples:
              npgen init
              npgen build intents.yaml

              # Somewhere else, or on stdout
              npgen init deploy/intents.yaml
              npgen init - | less
            """)
        {
            path, force,
        };

        command.SetAction(result =>
        {
            var target = result.GetValue(path)!;
            if (target == "-")
            {
                console.Out.Write(IntentStarter.Text);
                return ExitCodes.Ok;
            }

            if (Directory.Exists(target) || target.EndsWith('/') || target.EndsWith(Path.DirectorySeparatorChar))
            {
                target = Path.Combine(target, DefaultFileName);
            }

            if (Directory.Exists(target))
            {
                console.Error.WriteLine($"npgen init: {target} is a directory");
                console.Error.WriteLine("  hint: name a file to write, e.g. npgen init intents.yaml");
                return ExitCodes.BadInput;
            }

            var overwrite = result.GetValue(force);
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } directory)
                {
                    Directory.CreateDirectory(directory);
                }

                // CreateNew, not an Exists check first: a file that appears meanwhile is not overwritten either.
                using var stream = new FileStream(target, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream); // UTF-8 without a byte order mark
                writer.Write(IntentStarter.Text);
            }
            catch (IOException) when (!overwrite && File.Exists(target))
            {
                console.Error.WriteLine($"npgen init: {target} already exists; nothing was written");
                console.Error.WriteLine($"  hint: add --force to overwrite it, name another file (npgen init other.yaml), or print the starter with npgen init -");
                return ExitCodes.BadInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"npgen init: could not write {target}: {e.Message}");
                return ExitCodes.BadInput;
            }

            console.Error.WriteLine($"wrote {target}; next: npgen build {target}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
