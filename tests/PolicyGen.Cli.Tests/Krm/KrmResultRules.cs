using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.Krm;

/// <summary>
/// The rules in krm-results-spec.txt (facts from the KRM Functions Specification and kyaml's
/// framework.Result, sources named there), checked against one result.
/// </summary>
public sealed partial class KrmResultRules
{
    private readonly List<(string Field, string Rule, string? Argument)> rules = [];

    private KrmResultRules()
    {
    }

    public static KrmResultRules Load()
    {
        var loaded = new KrmResultRules();
        foreach (var raw in File.ReadLines(Path.Combine(Npgen.Repo, "tests", "PolicyGen.Cli.Tests", "Krm", "krm-results-spec.txt")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            loaded.rules.Add((parts[0], parts[1], parts.Length > 2 ? parts[2] : null));
        }

        return loaded;
    }

    /// <summary>Every rule the result breaks, as a sentence; empty when it follows them all.</summary>
    public List<string> Check(YamlMappingNode result)
    {
        var problems = new List<string>();
        foreach (var (field, rule, argument) in rules)
        {
            if (field == "result" && rule == "keys")
            {
                var allowed = argument!.Split(',');
                problems.AddRange(result.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(k => !allowed.Contains(k)).Select(k => $"unknown key {k}"));
                continue;
            }

            var parts = field.Split('.');
            var parent = parts.Length == 1 ? result : Child(result, parts[0]) as YamlMappingNode;
            if (parts.Length > 1 && Child(result, parts[0]) is null)
            {
                continue; // the enclosing field is optional and absent
            }

            var node = parent is null ? null : Child(parent, parts[^1]);
            if (node is null)
            {
                if (argument == "required" || (rule == "one-of" && parts.Length == 1))
                {
                    problems.Add($"{field} is missing");
                }

                continue;
            }

            switch (rule)
            {
                case "string":
                    if (node is not YamlScalarNode)
                    {
                        problems.Add($"{field} is not a string");
                    }

                    break;
                case "one-of":
                    if (!argument!.Split(',').Contains((node as YamlScalarNode)?.Value))
                    {
                        problems.Add($"{field} is not one of {argument}");
                    }

                    break;
                case "relative-path":
                    var path = (node as YamlScalarNode)?.Value ?? "";
                    if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.StartsWith('<')
                        || path == "functionConfig" || path.Contains("kust-plugin-config-", StringComparison.Ordinal))
                    {
                        problems.Add($"{field} {path} is not a relative, slash-separated path of the user's file");
                    }

                    break;
                case "int":
                    if (node is not YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } index || !int.TryParse(index.Value, out var n) || n < 0)
                    {
                        problems.Add($"{field} is not a non-negative integer");
                    }

                    break;
                case "string-map":
                    if (node is not YamlMappingNode tags)
                    {
                        problems.Add($"{field} is not a mapping");
                        break;
                    }

                    foreach (var (key, value) in tags.Children)
                    {
                        // A plain 12, true or null would be an int, bool or null in YAML, not a string.
                        if (value is not YamlScalarNode scalar || (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && NonString().IsMatch(scalar.Value ?? "")))
                        {
                            problems.Add($"{field}.{((YamlScalarNode)key).Value} is not a string");
                        }
                    }

                    break;
                default:
                    throw new InvalidOperationException($"unknown rule {rule} in krm-results-spec.txt");
            }
        }

        return problems;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    [GeneratedRegex(@"^([-+]?[0-9]+(\.[0-9]*)?|true|false|True|False|null|Null|~|)$")]
    private static partial Regex NonString();
}
