using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>
/// The order in which Argo CD applies an Application's resources, from the facts in
/// argocd-sync-order.txt (gitops-engine's sync task sort and CreateNamespace=true), and the rule the
/// shipped routes must keep: every namespaced object is applied after its Namespace exists.
/// </summary>
public sealed class ArgoCdSyncOrder
{
    private readonly Dictionary<string, int> phases = [];
    private readonly Dictionary<string, int> kinds = [];

    private ArgoCdSyncOrder()
    {
    }

    public static ArgoCdSyncOrder Load()
    {
        var order = new ArgoCdSyncOrder();
        foreach (var line in File.ReadLines(Path.Combine(ArgoCdFieldList.Directory, "argocd-sync-order.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "phase":
                    order.phases[parts[1]] = int.Parse(parts[2], CultureInfo.InvariantCulture);
                    break;
                case "kinds":
                    for (var i = 1; i < parts.Length; i++)
                    {
                        order.kinds[parts[i]] = i - 1 - (parts.Length - 1); // index - len(kinds), as gitops-engine
                    }

                    break;
            }
        }

        return order;
    }

    /// <summary>The objects in the order Argo CD applies them, with the namespace it creates for CreateNamespace=true.</summary>
    public List<SyncTask> Tasks(YamlMappingNode application, IEnumerable<YamlMappingNode> resources)
    {
        var destination = Text(application, "spec", "destination", "namespace");
        var tasks = resources.Select(r => Task(r, destination)).ToList();
        var options = application["spec"] is YamlMappingNode spec && spec.Children.TryGetValue(new YamlScalarNode("syncPolicy"), out var policy)
            && ((YamlMappingNode)policy).Children.TryGetValue(new YamlScalarNode("syncOptions"), out var o)
                ? ((YamlSequenceNode)o).Children.Select(c => ((YamlScalarNode)c).Value!).ToList()
                : [];
        if (destination is not null && options.Contains("CreateNamespace=true") && !tasks.Any(t => t.Kind == "Namespace" && t.Name == destination))
        {
            tasks.Add(new SyncTask("PreSync", 0, "Namespace", destination, null, CreatedByArgoCd: true));
        }

        return tasks
            .OrderBy(t => phases[t.Phase])
            .ThenBy(t => t.Wave)
            .ThenBy(t => kinds.GetValueOrDefault(t.Kind))
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every object applied before its namespace exists (or whose namespace this Application never makes).</summary>
    public List<string> NamespaceBeforeObjectProblems(YamlMappingNode application, IEnumerable<YamlMappingNode> resources)
    {
        var tasks = Tasks(application, resources);
        var made = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var task in tasks)
        {
            if (task.Kind == "Namespace")
            {
                made.Add(task.Name);
            }
            else if (task.Namespace is { } ns && !made.Contains(ns))
            {
                var later = tasks.FirstOrDefault(t => t.Kind == "Namespace" && t.Name == ns);
                problems.Add(later is null
                    ? $"{task.Kind} {ns}/{task.Name} (wave {task.Wave}): this Application never creates namespace {ns}"
                    : $"{task.Kind} {ns}/{task.Name} (wave {task.Wave}) is applied before its Namespace (phase {later.Phase}, wave {later.Wave})");
            }
        }

        return problems;
    }

    private static SyncTask Task(YamlMappingNode resource, string? destination)
    {
        var kind = Text(resource, "kind")!;
        var annotations = resource["metadata"] is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("annotations"), out var a) ? (YamlMappingNode)a : new YamlMappingNode();
        var wave = annotations.Children.TryGetValue(new YamlScalarNode("argocd.argoproj.io/sync-wave"), out var w) ? int.Parse(((YamlScalarNode)w).Value!, CultureInfo.InvariantCulture) : 0;
        var phase = annotations.Children.TryGetValue(new YamlScalarNode("argocd.argoproj.io/hook"), out var h) ? ((YamlScalarNode)h).Value! : "Sync";
        var clusterScoped = kind is "Namespace" or "ClusterRole" or "ClusterRoleBinding" or "CustomResourceDefinition" or "StorageClass" or "PersistentVolume";
        return new SyncTask(phase, wave, kind, Text(resource, "metadata", "name")!, clusterScoped ? null : Text(resource, "metadata", "namespace") ?? destination, CreatedByArgoCd: false);
    }

    private static string? Text(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }
}
