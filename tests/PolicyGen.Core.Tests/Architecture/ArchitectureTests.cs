using System.Text.RegularExpressions;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Architecture;

/// <summary>
/// ARCHITECTURE.md's table of which core folder may use which is the rule, not a picture of it:
/// a `using PolicyGen.X` (or a qualified `PolicyGen.X.` name) that crosses it fails here, and so
/// does a folder the table does not know, so a new stage is placed on purpose.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Root = ConformanceCase.RepositoryRoot();
    private static readonly string Core = Path.Combine(Root, "src", "PolicyGen.Core");

    [Fact]
    public void Every_core_folder_uses_only_the_folders_ARCHITECTURE_md_allows_it()
    {
        var allowed = AllowedDependencies();
        var violations = new List<string>();
        foreach (var (folder, file) in CoreSources())
        {
            if (!allowed.TryGetValue(folder, out var mayUse))
            {
                continue; // Reported by the next test, once per folder.
            }

            var text = File.ReadAllText(file);
            foreach (var used in Reference().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
            {
                if (used != folder && allowed.ContainsKey(used) && !mayUse.Contains(used))
                {
                    violations.Add($"{Path.GetRelativePath(Root, file)} uses PolicyGen.{used}, which {folder}/ may not (ARCHITECTURE.md)");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void Every_core_folder_is_in_the_table()
    {
        var allowed = AllowedDependencies();
        var unknown = CoreSources().Select(s => s.Folder).Distinct(StringComparer.Ordinal).Where(f => !allowed.ContainsKey(f)).ToList();
        Assert.True(unknown.Count == 0, $"core folders missing from ARCHITECTURE.md's dependency table: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_table_names_only_folders_that_exist()
    {
        var folders = CoreSources().Select(s => s.Folder).ToHashSet(StringComparer.Ordinal);
        var table = AllowedDependencies();
        var stale = table.Keys.Concat(table.Values.SelectMany(v => v)).Distinct(StringComparer.Ordinal).Where(f => !folders.Contains(f)).ToList();
        Assert.True(stale.Count == 0, $"ARCHITECTURE.md's dependency table names folders src/PolicyGen.Core does not have: {string.Join(", ", stale)}");
    }

    private static IEnumerable<(string Folder, string File)> CoreSources()
        => Directory.EnumerateFiles(Core, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Parts: Path.GetRelativePath(Core, f).Split(Path.DirectorySeparatorChar), File: f))
            .Where(f => f.Parts.Length > 1 && f.Parts[0] is not ("bin" or "obj"))
            .Select(f => (f.Parts[0], f.File));

    private static Dictionary<string, HashSet<string>> AllowedDependencies()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "ARCHITECTURE.md"));
        var start = doc.IndexOf("<!-- dependency-table", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- end dependency-table -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "ARCHITECTURE.md has lost its dependency-table markers");
        var table = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match row in TableRow().Matches(doc[start..end]))
        {
            var uses = row.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            table[row.Groups[1].Value] = [.. uses];
        }

        Assert.NotEmpty(table);
        return table;
    }

    [GeneratedRegex(@"^\| ([A-Z][A-Za-z]+) \|([^|\n]*)\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\bPolicyGen\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex Reference();
}
