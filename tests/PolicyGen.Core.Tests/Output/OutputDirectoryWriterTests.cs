using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Output;

namespace PolicyGen.Core.Tests.Output;

public sealed class OutputDirectoryWriterTests : IDisposable
{
    private const string Marker = OutputDirectoryWriter.GeneratedMarker;
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-writer-");

    /// <summary>The output directory; it does not exist until a test or the writer creates it.</summary>
    private string Out => Path.Join(scratch.FullName, "out");

    public void Dispose() => scratch.Delete(recursive: true);

    private static GeneratedFile Gen(string path, string body = "kind: NetworkPolicy")
        => new(path, $"{Marker}\n{body}\n");

    private static GeneratedFile[] DefaultSet() =>
    [
        Gen("kustomization.yaml", "resources: [shop/web-ingress.yaml, shop/db-ingress.yaml, ops/deny-all.yaml]"),
        Gen("shop/web-ingress.yaml", "metadata: {name: web-ingress}"),
        Gen("shop/db-ingress.yaml", "metadata: {name: db-ingress}"),
        Gen("ops/deny-all.yaml", "metadata: {name: deny-all}"),
    ];

    private string PathOf(string relative) => Path.Join(Out, relative);

    private void Put(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static void AssertOk(WriteResult result)
        => Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

    private static Diagnostic SingleError(WriteResult result, string code)
    {
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(code, error.Code);
        Assert.Empty(result.Written);
        Assert.Empty(result.Unchanged);
        Assert.Empty(result.Deleted);
        return error;
    }

    /// <summary>
    /// Everything under <paramref name="root"/> without following links: directories, link
    /// targets, and each file's bytes and modification time.
    /// </summary>
    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return entries;
        }

        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
        {
            var name = entry.Name;
            if (entry.LinkTarget is { } target)
            {
                entries[name] = "link -> " + target;
            }
            else if (entry is DirectoryInfo directory)
            {
                entries[name + "/"] = "dir";
                foreach (var (child, value) in Snapshot(directory.FullName))
                {
                    entries[name + "/" + child] = value;
                }
            }
            else
            {
                var file = (FileInfo)entry;
                entries[name] = $"{file.LastWriteTimeUtc:O} {Convert.ToHexString(File.ReadAllBytes(file.FullName))}";
            }
        }

        return entries;
    }

    private void AssertNoTempFiles()
    {
        var temps = Directory.Exists(scratch.FullName)
            ? Directory.EnumerateFiles(scratch.FullName, "*npgen-tmp*", SearchOption.AllDirectories).ToList()
            : [];
        Assert.Empty(temps);
    }

    private void AgeAllFiles()
    {
        foreach (var file in Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, LongAgo);
        }
    }

    // ---------------------------------------------------------------- writing and rewriting

    [Fact]
    public void First_write_creates_the_output_directory_its_folders_and_the_files()
    {
        var result = OutputDirectoryWriter.Write(Out, DefaultSet());

        AssertOk(result);
        Assert.Empty(result.Diagnostics);
        Assert.Equal<string>(["kustomization.yaml", "ops/deny-all.yaml", "shop/db-ingress.yaml", "shop/web-ingress.yaml"], result.Written);
        Assert.Empty(result.Unchanged);
        Assert.Empty(result.Deleted);
        foreach (var file in DefaultSet())
        {
            Assert.Equal(Encoding.UTF8.GetBytes(file.Content), File.ReadAllBytes(PathOf(file.RelativePath))); // no BOM, as given
        }

        AssertNoTempFiles();
    }

    [Fact]
    public void An_output_directory_given_with_a_trailing_slash_behaves_the_same()
    {
        AssertOk(OutputDirectoryWriter.Write(Out + "/", DefaultSet()));

        var result = OutputDirectoryWriter.Write(Out + "/", DefaultSet()[..3]);

        AssertOk(result);
        Assert.Equal<string>(["ops/deny-all.yaml"], result.Deleted);
        Assert.False(Directory.Exists(PathOf("ops")));
        Assert.True(Directory.Exists(Out));
    }

    [Fact]
    public void Parent_folders_of_a_missing_output_directory_are_created_too()
    {
        var deep = Path.Join(Out, "a", "b");

        AssertOk(OutputDirectoryWriter.Write(deep, [Gen("shop/web.yaml")]));

        Assert.True(File.Exists(Path.Join(deep, "shop", "web.yaml")));
    }

    [Fact]
    public void Writing_the_same_set_again_changes_nothing_and_keeps_modification_times()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        AgeAllFiles();
        var before = Snapshot(Out);

        var result = OutputDirectoryWriter.Write(Out, DefaultSet());

        AssertOk(result);
        Assert.Empty(result.Written);
        Assert.Equal<string>(["kustomization.yaml", "ops/deny-all.yaml", "shop/db-ingress.yaml", "shop/web-ingress.yaml"], result.Unchanged);
        Assert.Empty(result.Deleted);
        Assert.Equal(before, Snapshot(Out));
        Assert.All(Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories), f => Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(f)));
    }

    [Fact]
    public void Changed_content_is_rewritten_and_identical_files_are_left_alone()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        AgeAllFiles();
        var files = DefaultSet();
        files[1] = Gen("shop/web-ingress.yaml", "metadata: {name: web-ingress, labels: {v: '2'}}");

        var result = OutputDirectoryWriter.Write(Out, files);

        AssertOk(result);
        Assert.Equal<string>(["shop/web-ingress.yaml"], result.Written);
        Assert.Equal<string>(["kustomization.yaml", "ops/deny-all.yaml", "shop/db-ingress.yaml"], result.Unchanged);
        Assert.Equal(files[1].Content, Read("shop/web-ingress.yaml"));
        Assert.NotEqual(LongAgo, File.GetLastWriteTimeUtc(PathOf("shop/web-ingress.yaml")));
        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(PathOf("shop/db-ingress.yaml")));
        AssertNoTempFiles();
    }

    [Fact]
    public void An_output_directory_that_is_a_symlink_is_refused_and_its_target_untouched()
    {
        var real = Directory.CreateDirectory(Path.Join(scratch.FullName, "real")).FullName;
        Directory.CreateSymbolicLink(Out, real);
        var before = Snapshot(scratch.FullName);

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml")]), DiagnosticCodes.OutputSymbolicLink);

        Assert.Contains($"{Out} is a symbolic link (to {real})", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(scratch.FullName));
    }

    // ---------------------------------------------------------------- stale files

    [Fact]
    public void A_policy_dropped_from_the_set_is_deleted_and_its_emptied_folder_removed()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));

        var result = OutputDirectoryWriter.Write(Out, DefaultSet().Where(f => !f.RelativePath.StartsWith("ops/", StringComparison.Ordinal)).ToList());

        AssertOk(result);
        Assert.Equal<string>(["ops/deny-all.yaml"], result.Deleted);
        Assert.False(Directory.Exists(PathOf("ops")));
        Assert.True(Directory.Exists(PathOf("shop")));
    }

    [Fact]
    public void Nested_folders_emptied_by_deleting_stale_files_are_removed_but_the_output_directory_stays()
    {
        Put("a/b/old.yaml", $"{Marker}\n");
        Put("a/old.yml", $"{Marker}\n");

        var result = OutputDirectoryWriter.Write(Out, []);

        AssertOk(result);
        Assert.Equal<string>(["a/b/old.yaml", "a/old.yml"], result.Deleted);
        Assert.False(Directory.Exists(PathOf("a")));
        Assert.True(Directory.Exists(Out));
    }

    [Fact]
    public void Hand_written_files_in_the_output_directory_are_never_modified_or_deleted()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        Put("README.md", "my notes\n");
        Put("extra.yaml", "kind: ConfigMap\n");
        Put("ops/mine.yaml", "kind: NetworkPolicy\n");
        Put("ops/marker-later.yaml", $"kind: NetworkPolicy\n{Marker}\n");
        Put("ops/notes.txt", $"{Marker}\n"); // carries the marker, but is not a YAML file
        string[] paths = ["README.md", "extra.yaml", "ops/mine.yaml", "ops/marker-later.yaml", "ops/notes.txt"];
        var handWritten = paths.ToDictionary(p => p, Read);

        var result = OutputDirectoryWriter.Write(Out, DefaultSet().Where(f => !f.RelativePath.StartsWith("ops/", StringComparison.Ordinal)).ToList());

        AssertOk(result);
        Assert.Equal<string>(["ops/deny-all.yaml"], result.Deleted);
        Assert.True(Directory.Exists(PathOf("ops"))); // it still holds hand-written files
        foreach (var (path, content) in handWritten)
        {
            Assert.Equal(content, Read(path));
        }
    }

    [Fact]
    public void An_empty_folder_that_was_already_there_is_kept()
    {
        Directory.CreateDirectory(PathOf("empty"));
        Directory.CreateDirectory(PathOf("shop/empty-too"));
        Put("shop/old.yaml", $"{Marker}\n");

        var result = OutputDirectoryWriter.Write(Out, [Gen("kustomization.yaml")]);

        AssertOk(result);
        Assert.Equal<string>(["shop/old.yaml"], result.Deleted);
        Assert.True(Directory.Exists(PathOf("empty")));
        Assert.True(Directory.Exists(PathOf("shop/empty-too")));
    }

    [Fact]
    public void Temporary_files_left_by_a_crashed_run_are_cleaned_up()
    {
        Put("shop/.npgen-tmp-0123456789ab", $"{Marker}\nhalf a policy");
        Put("shop/.npgen-tmp-not-ours", $"{Marker}\n");      // not npgen's temporary-file name
        Put("shop/.npgen-tmp-ba9876543210", "kind: Secret\n"); // npgen's name, but no marker

        var result = OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml")]);

        AssertOk(result);
        Assert.Equal<string>(["shop/.npgen-tmp-0123456789ab"], result.Deleted);
        Assert.True(File.Exists(PathOf("shop/.npgen-tmp-not-ours")));
        Assert.True(File.Exists(PathOf("shop/.npgen-tmp-ba9876543210")));
    }

    // ---------------------------------------------------------------- refusing to overwrite

    [Fact]
    public void A_hand_written_file_at_a_target_path_is_an_error_and_nothing_at_all_changes()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        Put("shop/web-ingress.yaml", "# my own policy\nkind: NetworkPolicy\n");
        Put("stale/old.yaml", $"{Marker}\n");
        var files = DefaultSet();
        files[2] = Gen("shop/db-ingress.yaml", "changed: true");
        var before = Snapshot(Out);

        var result = OutputDirectoryWriter.Write(Out, files);

        var error = SingleError(result, DiagnosticCodes.OutputPathOccupied);
        Assert.Equal(
            $"{Path.Join(Out, "shop", "web-ingress.yaml")} exists and was not generated by npgen; npgen will not overwrite it",
            error.Message);
        Assert.Equal("move it away, or choose another -o directory", error.Hint);
        Assert.Equal(before, Snapshot(Out));
    }

    [Fact]
    public void Every_occupied_target_is_reported_at_once()
    {
        Put("shop/web-ingress.yaml", "kind: NetworkPolicy\n");
        Put("ops/deny-all.yaml", "");
        Directory.CreateDirectory(PathOf("kustomization.yaml"));

        var result = OutputDirectoryWriter.Write(Out, DefaultSet());

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.OutputPathOccupied));
        Assert.False(File.Exists(PathOf("shop/db-ingress.yaml")));
    }

    [Fact]
    public void A_directory_at_a_target_path_is_refused()
    {
        Directory.CreateDirectory(PathOf("shop/web.yaml"));
        var before = Snapshot(Out);

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("a.yaml"), Gen("shop/web.yaml")]), DiagnosticCodes.OutputPathOccupied);

        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Out));
    }

    [Fact]
    public void A_hand_written_file_where_a_namespace_folder_is_needed_is_refused()
    {
        Put("shop", "not a folder\n");
        var before = Snapshot(Out);

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml"), Gen("shop/db.yaml")]), DiagnosticCodes.OutputPathOccupied);

        Assert.StartsWith($"{Path.Join(Out, "shop")} exists and is not a directory", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Out));
    }

    [Fact]
    public void An_output_directory_that_is_a_file_is_refused()
    {
        File.WriteAllText(Out, "hello\n");

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml")]), DiagnosticCodes.OutputPathOccupied);

        Assert.Equal($"{Out} exists and is not a directory", error.Message);
        SingleError(OutputDirectoryWriter.Write(Out + "/", [Gen("shop/web.yaml")]), DiagnosticCodes.OutputPathOccupied);
        Assert.Equal("hello\n", File.ReadAllText(Out));
    }

    [Fact]
    public void A_symlink_at_a_target_path_is_refused_and_the_file_it_points_to_is_untouched()
    {
        var elsewhere = Path.Join(scratch.FullName, "elsewhere.yaml");
        File.WriteAllText(elsewhere, $"{Marker}\nold\n"); // npgen-owned content, but reached through a link
        Directory.CreateDirectory(PathOf("shop"));
        File.CreateSymbolicLink(PathOf("shop/web.yaml"), elsewhere);
        var before = Snapshot(scratch.FullName);

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml", "new")]), DiagnosticCodes.OutputSymbolicLink);

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Contains(PathOf("shop/web.yaml"), error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(scratch.FullName));
    }

    [Fact]
    public void A_dangling_symlink_at_a_target_path_is_refused()
    {
        Directory.CreateDirectory(Out);
        File.CreateSymbolicLink(PathOf("web.yaml"), Path.Join(scratch.FullName, "nowhere"));

        SingleError(OutputDirectoryWriter.Write(Out, [Gen("web.yaml")]), DiagnosticCodes.OutputSymbolicLink);

        Assert.False(File.Exists(Path.Join(scratch.FullName, "nowhere")));
    }

    [Fact]
    public void A_symlinked_namespace_folder_is_refused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Join(scratch.FullName, "elsewhere")).FullName;
        Directory.CreateDirectory(Out);
        Directory.CreateSymbolicLink(PathOf("shop"), elsewhere);
        var before = Snapshot(scratch.FullName);

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml"), Gen("shop/db.yaml")]), DiagnosticCodes.OutputSymbolicLink);

        Assert.Contains($"{PathOf("shop")} (to {elsewhere})", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(scratch.FullName));
    }

    [Fact]
    public void Any_symlink_under_the_output_directory_is_refused_named_and_not_followed()
    {
        var elsewhere = Directory.CreateDirectory(Path.Join(scratch.FullName, "elsewhere")).FullName;
        File.WriteAllText(Path.Join(elsewhere, "old.yaml"), $"{Marker}\n");
        Directory.CreateDirectory(Out);
        Directory.CreateSymbolicLink(PathOf("linked-dir"), elsewhere);
        File.CreateSymbolicLink(PathOf("linked-file.yaml"), Path.Join(elsewhere, "old.yaml"));
        var before = Snapshot(scratch.FullName);

        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml")]), DiagnosticCodes.OutputSymbolicLink);

        Assert.Contains(PathOf("linked-dir"), error.Message, StringComparison.Ordinal);
        Assert.Contains(PathOf("linked-file.yaml"), error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(scratch.FullName));
        Assert.True(File.Exists(Path.Join(elsewhere, "old.yaml")));
        Assert.NotNull(new FileInfo(PathOf("linked-dir")).LinkTarget);
        Assert.NotNull(new FileInfo(PathOf("linked-file.yaml")).LinkTarget);
    }

    // ---------------------------------------------------------------- refusing bad input

    [Theory]
    [InlineData("../x.yaml")]
    [InlineData("/abs.yaml")]
    [InlineData("a//b.yaml")]
    [InlineData("A.yaml")]
    [InlineData("x.txt")]
    [InlineData("x.yml")]
    [InlineData("")]
    [InlineData("shop/")]
    [InlineData("shop/./web.yaml")]
    [InlineData(".yaml")]
    [InlineData(".hidden.yaml")]
    [InlineData("shop\\web.yaml")]
    [InlineData("shop/web policy.yaml")]
    public void An_invalid_generated_path_is_rejected_and_nothing_is_written(string path)
    {
        var result = OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml"), Gen(path)]);

        var error = SingleError(result, DiagnosticCodes.InvalidOutputPath);
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_file_name_longer_than_the_file_system_allows_is_rejected()
    {
        var error = SingleError(OutputDirectoryWriter.Write(Out, [Gen(new string('a', 251) + ".yaml")]), DiagnosticCodes.InvalidOutputPath);

        Assert.Contains("longer than 255 characters", error.Message, StringComparison.Ordinal);
        AssertOk(OutputDirectoryWriter.Write(Out, [Gen(new string('a', 250) + ".yaml")]));
    }

    [Theory]
    [InlineData("kind: NetworkPolicy\n")]
    [InlineData("\uFEFF# Generated by npgen\n")]
    [InlineData(" # Generated by npgen\n")]
    [InlineData("---\n# Generated by npgen\n")]
    public void Content_without_the_generated_marker_first_is_rejected(string content)
    {
        AssertOk(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml")]));
        var before = Snapshot(Out);

        SingleError(OutputDirectoryWriter.Write(Out, [new GeneratedFile("shop/web.yaml", content)]), DiagnosticCodes.MissingGeneratedMarker);

        Assert.Equal(before, Snapshot(Out));
    }

    [Fact]
    public void Two_files_with_the_same_path_are_rejected()
    {
        SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop/web.yaml"), Gen("shop/web.yaml", "other")]), DiagnosticCodes.DuplicateOutputPath);

        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_path_that_is_both_a_file_and_a_folder_is_rejected()
    {
        SingleError(OutputDirectoryWriter.Write(Out, [Gen("shop.yaml"), Gen("shop.yaml/web.yaml")]), DiagnosticCodes.DuplicateOutputPath);

        Assert.False(Directory.Exists(Out));
    }

    // ---------------------------------------------------------------- dry run

    [Fact]
    public void Plan_reports_what_would_change_without_touching_the_disk()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        var files = DefaultSet()[..3];
        files[1] = Gen("shop/web-ingress.yaml", "changed");
        files = [.. files, Gen("new/policy.yaml")];
        var before = Snapshot(Out);

        var plan = OutputDirectoryWriter.Plan(Out, files);

        AssertOk(plan);
        Assert.Equal(before, Snapshot(Out));
        Assert.Equal<string>(["new/policy.yaml", "shop/web-ingress.yaml"], plan.Written);
        Assert.Equal<string>(["kustomization.yaml", "shop/db-ingress.yaml"], plan.Unchanged);
        Assert.Equal<string>(["ops/deny-all.yaml"], plan.Deleted);

        var result = OutputDirectoryWriter.Write(Out, files);
        Assert.Equal<string>(plan.Written, result.Written);
        Assert.Equal<string>(plan.Unchanged, result.Unchanged);
        Assert.Equal<string>(plan.Deleted, result.Deleted);
    }

    [Fact]
    public void Plan_for_a_missing_output_directory_does_not_create_it()
    {
        var plan = OutputDirectoryWriter.Plan(Out, DefaultSet());

        AssertOk(plan);
        Assert.Equal(4, plan.Written.Length);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void Plan_reports_the_same_errors_as_write()
    {
        Put("shop/web-ingress.yaml", "kind: NetworkPolicy\n");

        SingleError(OutputDirectoryWriter.Plan(Out, DefaultSet()), DiagnosticCodes.OutputPathOccupied);
    }

    // ---------------------------------------------------------------- I/O failures

    [Fact]
    public void A_failure_while_writing_leaves_the_output_directory_exactly_as_it_was()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        Put("stale.yaml", $"{Marker}\n");
        var files = DefaultSet().Select(f => f with { Content = f.Content + "# v2\n" }).Append(Gen("new/deep/policy.yaml")).ToList();
        var before = Snapshot(Out);
        var writes = 0;
        var hooks = new WriteHooks
        {
            AfterTempFileWritten = path =>
            {
                if (++writes == 4)
                {
                    throw new IOException("No space left on device");
                }
            },
        };

        var result = OutputDirectoryWriter.Write(Out, files, hooks);

        var error = SingleError(result, DiagnosticCodes.OutputWriteFailed);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"nothing in {Out} was changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Out)); // the folders created for new/deep/policy.yaml are gone again
        AssertNoTempFiles();
    }

    [Fact]
    public void A_failure_while_creating_a_missing_output_directory_removes_it_again()
    {
        var hooks = new WriteHooks { AfterTempFileWritten = _ => throw new IOException("disk full") };

        SingleError(OutputDirectoryWriter.Write(Out, DefaultSet(), hooks), DiagnosticCodes.OutputWriteFailed);

        Assert.False(Directory.Exists(Out));
        AssertNoTempFiles();
    }

    [Fact]
    public void A_failure_while_replacing_files_reports_which_files_were_updated_and_keeps_stale_files()
    {
        AssertOk(OutputDirectoryWriter.Write(Out, DefaultSet()));
        Put("stale.yaml", $"{Marker}\n");
        var files = DefaultSet().Select(f => f with { Content = f.Content + "# v2\n" }).ToList();
        var hooks = new WriteHooks
        {
            BeforeRename = path =>
            {
                if (path == "shop/db-ingress.yaml")
                {
                    throw new IOException("Input/output error");
                }
            },
        };

        var result = OutputDirectoryWriter.Write(Out, files, hooks);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.OutputPartiallyWritten, error.Code);
        Assert.Contains("shop/db-ingress.yaml, shop/web-ingress.yaml", error.Message, StringComparison.Ordinal);
        Assert.Equal<string>(["kustomization.yaml", "ops/deny-all.yaml"], result.Written); // renamed in ordinal order
        Assert.Empty(result.Deleted);
        Assert.EndsWith("# v2\n", Read("ops/deny-all.yaml"), StringComparison.Ordinal);
        Assert.DoesNotContain("# v2", Read("shop/db-ingress.yaml"), StringComparison.Ordinal);
        Assert.True(File.Exists(PathOf("stale.yaml")));
        AssertNoTempFiles();

        // The next run without the fault converges.
        var retry = OutputDirectoryWriter.Write(Out, files);
        AssertOk(retry);
        Assert.Equal<string>(["shop/db-ingress.yaml", "shop/web-ingress.yaml"], retry.Written);
        Assert.Equal<string>(["stale.yaml"], retry.Deleted);
    }
}
