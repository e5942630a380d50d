using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>
/// The field list in argocd-fields.txt (facts read from Argo CD's CRD, CMP config types and docs,
/// and Kubernetes' core/v1 types) and a check of a manifest against it: every key known, of the
/// listed type, required keys present, one-of groups satisfied.
/// </summary>
public sealed class ArgoCdFieldList
{
    private readonly Dictionary<string, Dictionary<string, (string Type, bool Required)>> fields = [];
    private readonly Dictionary<string, List<(string Path, string[] Keys)>> oneOfs = [];

    private ArgoCdFieldList()
    {
    }

    public static string Directory => Path.Combine(Npgen.Repo, "tests", "PolicyGen.Cli.Tests", "ArgoCd");

    public static ArgoCdFieldList Load()
    {
        var list = new ArgoCdFieldList();
        var container = new List<string[]>();
        foreach (var raw in File.ReadLines(Path.Combine(Directory, "argocd-fields.txt")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] == "<container>")
            {
                container.Add(parts);
                continue;
            }

            list.Add(parts);
        }

        foreach (var parts in container)
        {
            foreach (var list2 in new[] { "initContainers", "containers" })
            {
                list.Add(["Deployment", $"spec.template.spec.{list2}[].{parts[1]}", .. parts[2..]]);
            }
        }

        return list;
    }

    public IReadOnlyCollection<string> Roots => fields.Keys;

    public bool Has(string root, string path) => fields.TryGetValue(root, out var f) && f.ContainsKey(path);

    /// <summary>The problems of <paramref name="document"/> checked as <paramref name="root"/>, each naming the path.</summary>
    public List<string> Check(string root, YamlMappingNode document)
    {
        var problems = new List<string>();
        Walk(root, document, "", problems);
        return problems;
    }

    /// <summary>argocd-cm data keys: each must be one of the documented keys (&lt;version&gt; = vX.Y.Z).</summary>
    public bool IsArgoCdCmKey(string key)
        => fields["argocd-cm"].Keys.Any(k => Regex.IsMatch(key, "^" + Regex.Escape(k["data.".Length..]).Replace("<version>", @"v\d+\.\d+\.\d+", StringComparison.Ordinal) + "$"));

    private void Add(string[] parts)
    {
        if (!fields.TryGetValue(parts[0], out var f))
        {
            fields[parts[0]] = f = [];
            oneOfs[parts[0]] = [];
        }

        if (parts[2] == "oneof")
        {
            oneOfs[parts[0]].Add((parts[1], parts[3].Split(',')));
            return;
        }

        f[parts[1]] = (parts[2], parts.Length > 3 && parts[3] == "required");
    }

    private void Walk(string root, YamlMappingNode node, string path, List<string> problems)
    {
        var known = fields[root];
        foreach (var (keyNode, value) in node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var child = path.Length == 0 ? key : path + "." + key;
            if (!known.TryGetValue(child, out var field))
            {
                problems.Add($"{root}: unknown field {child}");
                continue;
            }

            CheckType(root, child, field.Type, value, problems);
        }

        var prefix = path.Length == 0 ? "" : path + ".";
        foreach (var (fieldPath, field) in known)
        {
            if (field.Required && fieldPath.StartsWith(prefix, StringComparison.Ordinal)
                && fieldPath[prefix.Length..] is var rest && !rest.Contains('.', StringComparison.Ordinal) && !rest.Contains('[', StringComparison.Ordinal)
                && !node.Children.ContainsKey(new YamlScalarNode(rest)))
            {
                problems.Add($"{root}: required field {fieldPath} is missing");
            }
        }

        foreach (var (oneOfPath, keys) in oneOfs[root].Where(o => o.Path == path || (path.Length == 0 && o.Path.Length == 0)))
        {
            var present = keys.Count(k => node.Children.ContainsKey(new YamlScalarNode(k)));
            if (present != 1)
            {
                problems.Add($"{root}: {oneOfPath} must hold exactly one of {string.Join(", ", keys)} (found {present})");
            }
        }
    }

    private void CheckType(string root, string path, string type, YamlNode value, List<string> problems)
    {
        switch (type)
        {
            case "object" when value is YamlMappingNode mapping:
                Walk(root, mapping, path, problems);
                return;
            case "map" when value is YamlMappingNode mapping:
                if (mapping.Children.Values.Any(v => !IsString(v)))
                {
                    problems.Add($"{root}: {path} must map keys to strings");
                }

                return;
            case "array<string>" when value is YamlSequenceNode sequence:
                if (sequence.Children.Any(v => !IsString(v)))
                {
                    problems.Add($"{root}: {path} must be a list of strings");
                }

                return;
            case "array<object>" when value is YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    if (item is YamlMappingNode itemMapping)
                    {
                        Walk(root, itemMapping, path + "[]", problems);
                    }
                    else
                    {
                        problems.Add($"{root}: {path}[] must be an object");
                    }
                }

                return;
            case "string" when IsString(value):
            case "boolean" when value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" }:
            case "integer" when value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar && Regex.IsMatch(scalar.Value!, "^-?[0-9]+$"):
                return;
            default:
                problems.Add($"{root}: {path} must be {type}");
                return;
        }
    }

    // A YAML scalar that a Kubernetes string field accepts: quoted, or plain and not a bool, number or null.
    private static bool IsString(YamlNode node)
        => node is YamlScalarNode scalar
            && (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain
                || !Regex.IsMatch(scalar.Value ?? "", "^(true|false|null|~|-?[0-9]+(\\.[0-9]+)?|)$", RegexOptions.IgnoreCase));
}
