using System.CommandLine;
using PolicyGen.Intent;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen schema</c>: the intent file's JSON Schema, for editors.</summary>
internal static class SchemaCommand
{
    public static Command Create(CommandConsole console)
    {
        var command = new Command("schema", """
            Print the JSON Schema (draft 2020-12) of the intent file format, so that editors complete
            keys, show what each one means and flag mistakes as you type. The output is the same
            on every run. npgen build still checks what a schema cannot: that names refer to
            declared apps, networks and ports, CIDR arithmetic, overlapping selectors.

            Examples:
              # Save it next to the intent file
              npgen schema > intent.schema.json

              # Then make this the first line of intents.yaml (YAML language server, e.g. VS Code):
              # yaml-language-server: $schema=intent.schema.json
            """);
        command.SetAction(_ =>
        {
            console.Out.Write(IntentSchema.Text);
            return ExitCodes.Ok;
        });
        return command;
    }
}
