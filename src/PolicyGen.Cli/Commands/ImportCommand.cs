using System.CommandLine;
using PolicyGen.Diagnostics;
using PolicyGen.Review.Import;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen import</c>: an intent from existing NetworkPolicies (the work is PolicyImporter's).</summary>
internal static class ImportCommand
{
    public static Command Create(CommandConsole console)
    {
        var files = CommonOptions.Files();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the intent: a file, or - for standard output.", DefaultValueFactory = _ => "-" };
        var name = new Option<string>("--name") { Description = "metadata.name of the intent (the npgen.dev/intent label of every policy it builds).", DefaultValueFactory = _ => "imported" };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file if it exists." };

        var command = new Command("import", """
            Write an intent from existing NetworkPolicies, to adopt npgen where policies already
            exist. Namespaces with a default-deny policy become managed; each podSelector becomes an
            app, and a podSelector {} policy the namespace's namespace-wide rules (every pod of it);
            a peer that selects exactly an app's pods becomes an app-to-app edge (when both
            sides' policies agree), other peers namespace, namespaceLabels and podLabels peers;
            ipBlocks become networks named after their cidr; named ports stay names where the
            destination's pods in the inputs resolve them. Pass the Namespaces and workloads too
            (-f), so that named ports and namespace labels can be read.
            What the intent cannot express (matchExpressions other than In, a named port that does
            not resolve to one number, overlapping podSelectors, policies the API server rejects)
            is listed on stderr as warning NPG870 with the policy and rule, never dropped silently.
            Exit 0 when everything was imported, 1 when the import is partial (the intent is still
            written), 2 when the inputs cannot be read or the output cannot be written.

            Examples:
              # The policies of a cluster, with its namespaces and workloads
              kubectl get ns,deploy,sts,ds,pods,netpol -A -o yaml | npgen import -f - -o intents.yaml

              # Then build it and compare with the originals
              npgen build intents.yaml -o imported/
              npgen matrix -f k8s/ -f imported/
            """)
        {
            files, output, name, force,
        };

        command.SetAction(result =>
        {
            var cluster = CommonOptions.LoadCluster(result, files, console);
            if (cluster is null)
            {
                return ExitCodes.BadInput;
            }

            if (cluster.Policies.IsEmpty)
            {
                console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.ImportNoPolicies, "the inputs hold no networking.k8s.io/v1 NetworkPolicy: there is nothing to import", null,
                    "pass the policies with -f (a file, a directory, or - for kubectl get netpol -A -o yaml)"));
                return ExitCodes.BadInput;
            }

            var imported = PolicyImporter.Import(cluster, result.GetValue(name)!);
            foreach (var note in imported.Notes)
            {
                console.Error.WriteLine(note);
            }

            var target = result.GetValue(output)!;
            if (target == "-")
            {
                console.Out.Write(imported.Intent);
            }
            else if (!Write(target, imported.Intent, result.GetValue(force), console))
            {
                return ExitCodes.BadInput;
            }

            var where = target == "-" ? "standard output" : target;
            console.Error.WriteLine($"npgen import: {imported.Policies} NetworkPolic{(imported.Policies == 1 ? "y" : "ies")} -> {imported.Apps} app{(imported.Apps == 1 ? "" : "s")} in {imported.Namespaces} namespace{(imported.Namespaces == 1 ? "" : "s")}, written to {where}"
                + (imported.Partial ? $"; PARTIAL: {imported.Notes.Length} thing{(imported.Notes.Length == 1 ? "" : "s")} could not be expressed (listed above)" : ""));
            return imported.Partial ? ExitCodes.CheckFailed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Writes the whole file or nothing: a temporary file next to it, then a rename. Never through a link, never over a file without --force.</summary>
    private static bool Write(string path, string text, bool force, CommandConsole console)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || (Directory.Exists(path)))
        {
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.ImportOutputRefused, $"{path} is a symbolic link or a directory; npgen import writes only regular files", null, "give a file path"));
            return false;
        }

        if (info.Exists && !force)
        {
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.ImportOutputRefused, $"{path} exists; nothing was written", null, "add --force to overwrite it, or choose another path"));
            return false;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.ImportOutputRefused, $"directory {directory} does not exist; nothing was written", null, "create it first"));
            return false;
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.npgen-{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.ImportOutputRefused, $"cannot write {path}: {e.Message}", null, "check the path and its permissions"));
            return false;
        }
    }
}
