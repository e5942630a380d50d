using System.Diagnostics;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// <c>npgen build -o DIR</c> with real directories: a build owns only the files its intent wrote
/// for the same environment and overlays; another intent's output, another environment's output
/// and symbolic links are refused before anything is written, and a FIFO never blocks the run.
/// </summary>
public sealed class OutputOwnershipCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-ownership-").FullName;

    public OutputOwnershipCliTests()
    {
        foreach (var example in new[] { "shop", "bookstore" })
        {
            var from = Path.Combine(Npgen.Repo, "examples", example);
            File.Copy(Path.Combine(from, "intents.yaml"), Path.Combine(Directory.CreateDirectory(Path.Combine(temp, example)).FullName, "intents.yaml"));
            if (Directory.Exists(Path.Combine(from, "environments")))
            {
                var environments = Directory.CreateDirectory(Path.Combine(temp, example, "environments")).FullName;
                foreach (var file in Directory.GetFiles(Path.Combine(from, "environments")))
                {
                    File.Copy(file, Path.Combine(environments, Path.GetFileName(file)));
                }
            }
        }
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private NpgenRun Build(params string[] args) => Npgen.RunIn(temp, null, null, ["build", .. args]);

    private string At(string relative) => Path.Combine(temp, relative);

    /// <summary>Every entry under a directory without following links: link targets, and each file's bytes.</summary>
    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.TopDirectoryOnly))
        {
            if (entry.LinkTarget is { } target)
            {
                entries[entry.Name] = "link -> " + target;
            }
            else if (entry is DirectoryInfo directory)
            {
                foreach (var (child, value) in Snapshot(directory.FullName))
                {
                    entries[entry.Name + "/" + child] = value;
                }

                entries[entry.Name + "/"] = "dir";
            }
            else if (((FileInfo)entry).Length == 0)
            {
                entries[entry.Name] = "empty"; // a FIFO too: never opened
            }
            else
            {
                entries[entry.Name] = Convert.ToHexString(File.ReadAllBytes(entry.FullName));
            }
        }

        return entries;
    }

    [Fact]
    public void A_second_intent_into_the_same_directory_is_refused_and_the_first_intents_files_stay_byte_for_byte()
    {
        Assert.Equal(0, Build("shop/intents.yaml", "-o", "d/").ExitCode);
        var before = Snapshot(At("d"));

        var second = Build("bookstore/intents.yaml", "-o", "d/");

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("error NPG510", second.StdErr, StringComparison.Ordinal);
        Assert.Contains("intent shop", second.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(At("d")));
    }

    [Fact]
    public void Another_intents_loose_files_are_left_alone_and_named_in_a_warning()
    {
        Assert.Equal(0, Build("bookstore/intents.yaml", "-o", "b/").ExitCode);
        Assert.Equal(0, Build("shop/intents.yaml", "-o", "d/").ExitCode);
        var stray = Directory.GetFiles(At("b"), "*.yaml", SearchOption.AllDirectories).First(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal));
        Directory.CreateDirectory(At("d/copied"));
        File.Copy(stray, At("d/copied/from-bookstore.yaml"));
        var strayBytes = File.ReadAllBytes(At("d/copied/from-bookstore.yaml"));

        var again = Build("shop/intents.yaml", "-o", "d/");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("warning NPG511", again.StdErr, StringComparison.Ordinal);
        Assert.Contains("intent bookstore", again.StdErr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("d", "copied", "from-bookstore.yaml"), again.StdErr, StringComparison.Ordinal);
        Assert.Equal(strayBytes, File.ReadAllBytes(At("d/copied/from-bookstore.yaml")));
    }

    [Fact]
    public void An_output_directory_above_another_intents_output_is_refused_before_anything_is_written()
    {
        Assert.Equal(0, Build("bookstore/intents.yaml", "-o", "repo/apps/bookstore/").ExitCode);
        var before = Snapshot(At("repo"));

        var run = Npgen.RunIn(At("repo"), null, null, "build", "../shop/intents.yaml", "-o", ".");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error NPG510", run.StdErr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(".", "apps", "bookstore") + " (intent bookstore", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(At("repo")));
    }

    [Fact]
    public void A_build_for_no_environment_over_prod_output_is_refused_unchanged_and_replace_environment_replaces_it()
    {
        Assert.Equal(0, Build("shop/intents.yaml", "--env", "prod", "-o", "d/").ExitCode);
        var prod = Snapshot(At("d"));
        Assert.Contains("npgen.dev/environment: prod", File.ReadAllText(At("d/shop/web-ingress.yaml")), StringComparison.Ordinal);

        var forgotten = Build("shop/intents.yaml", "-o", "d/");

        Assert.True(forgotten.ExitCode == 2, forgotten.ToString());
        Assert.Contains("error NPG512", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Contains("built for environment prod", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Contains("this build is for no environment", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Contains("--replace-environment", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Contains("pass --env prod", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Equal(prod, Snapshot(At("d")));

        var otherEnvironment = Build("shop/intents.yaml", "--env", "dev", "-o", "d/");
        Assert.Equal(2, otherEnvironment.ExitCode);
        Assert.Equal(prod, Snapshot(At("d")));

        var replaced = Build("shop/intents.yaml", "-o", "d/", "--replace-environment");

        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Contains("replaced intent shop's output for environment prod", replaced.StdErr, StringComparison.Ordinal);
        var web = File.ReadAllText(At("d/shop/web-ingress.yaml"));
        Assert.Contains("# npgen-build: {\"intent\":\"shop\",\"environment\":null,\"overlays\":[]}\n", web, StringComparison.Ordinal);
        Assert.Contains("npgen.dev/environment: \"\"", web, StringComparison.Ordinal);
        Assert.Equal(0, Build("shop/intents.yaml", "-o", "d/").ExitCode);
    }

    [Fact]
    public void Other_overlays_count_as_another_build_and_the_record_names_them_relative_to_the_intent()
    {
        File.WriteAllText(At("extra.yaml"), "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentOverlay\nmetadata: {name: extra}\nspec: {}\n");
        var first = Build("shop/intents.yaml", "--env", "prod", "--overlay", "extra.yaml", "-o", "d/");
        Assert.True(first.ExitCode == 0, first.ToString());
        var web = File.ReadAllText(At("d/shop/web-ingress.yaml"));
        Assert.Contains("\"environment\":\"prod\",\"overlays\":[\"../extra.yaml\"]", web, StringComparison.Ordinal);
        Assert.Contains("npgen.dev/overlays: \"../extra.yaml\"", web, StringComparison.Ordinal);

        var withoutOverlay = Build("shop/intents.yaml", "--env", "prod", "-o", "d/");

        Assert.Equal(2, withoutOverlay.ExitCode);
        Assert.Contains("overlays ../extra.yaml", withoutOverlay.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Environments_side_by_side_are_the_normal_layout()
    {
        Assert.Equal(0, Build("shop/intents.yaml", "--env", "prod", "-o", "apps/shop/prod/").ExitCode);
        Assert.Equal(0, Build("shop/intents.yaml", "--env", "dev", "-o", "apps/shop/dev/").ExitCode);

        var prod = Build("shop/intents.yaml", "--env", "prod", "-o", "apps/shop/prod/");
        var dev = Build("shop/intents.yaml", "--env", "dev", "-o", "apps/shop/dev/");

        Assert.True(prod.ExitCode == 0 && dev.ExitCode == 0, prod + "\n" + dev);
        Assert.Contains("0 written, 11 unchanged, 0 deleted", prod.StdErr, StringComparison.Ordinal);
        Assert.Contains("0 written, 11 unchanged, 0 deleted", dev.StdErr, StringComparison.Ordinal);

        var parent = Build("shop/intents.yaml", "-o", "apps/shop/");
        Assert.Equal(2, parent.ExitCode);
        Assert.Contains("error NPG510", parent.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_from_an_older_npgen_is_adopted_with_a_warning_but_a_directory_named_for_another_environment_is_refused()
    {
        Assert.Equal(0, Build("shop/intents.yaml", "--env", "prod", "-o", "apps/shop/prod/").ExitCode);
        foreach (var file in Directory.GetFiles(At("apps/shop/prod"), "*.yaml", SearchOption.AllDirectories))
        {
            // What an npgen before the build record wrote: the first header line only.
            File.WriteAllLines(file, File.ReadAllLines(file).Where(l => !l.StartsWith("# npgen-build: ", StringComparison.Ordinal)));
        }

        var legacy = Snapshot(At("apps/shop/prod"));

        var forgotten = Build("shop/intents.yaml", "-o", "apps/shop/prod/");

        Assert.True(forgotten.ExitCode == 2, forgotten.ToString());
        Assert.Contains("error NPG512", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Contains("the directory is named prod", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Equal(legacy, Snapshot(At("apps/shop/prod")));

        var upgrade = Build("shop/intents.yaml", "--env", "prod", "-o", "apps/shop/prod/");

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Contains("warning NPG513", upgrade.StdErr, StringComparison.Ordinal);
        Assert.Contains("\"environment\":\"prod\"", File.ReadAllText(At("apps/shop/prod/kustomization.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlinked_output_directory_is_refused_and_its_target_untouched()
    {
        Directory.CreateDirectory(At("outside"));
        File.WriteAllText(At("outside/keep.yaml"), "# Generated by npgen\nkind: ConfigMap\n");
        Directory.CreateSymbolicLink(At("d"), At("outside"));
        var before = Snapshot(At("outside"));

        var run = Build("shop/intents.yaml", "-o", "d/");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error NPG514: d is a symbolic link", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(At("outside")));
    }

    [Fact]
    public void A_symlinked_namespace_folder_or_file_under_the_output_directory_is_refused_and_nothing_outside_changes()
    {
        Assert.Equal(0, Build("shop/intents.yaml", "-o", "d/").ExitCode);
        Directory.CreateDirectory(At("outside"));
        File.WriteAllText(At("outside/web-ingress.yaml"), File.ReadAllText(At("d/shop/web-ingress.yaml")));
        Directory.Move(At("d/shop-data"), At("outside/shop-data"));
        Directory.CreateSymbolicLink(At("d/shop-data"), At("outside/shop-data"));
        File.Delete(At("d/shop/web-ingress.yaml"));
        File.CreateSymbolicLink(At("d/shop/web-ingress.yaml"), At("outside/web-ingress.yaml"));
        var outside = Snapshot(At("outside"));
        var inside = Snapshot(At("d"));

        var run = Build("shop/intents.yaml", "-o", "d/");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error NPG514", run.StdErr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("d", "shop-data"), run.StdErr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("d", "shop", "web-ingress.yaml"), run.StdErr, StringComparison.Ordinal);
        Assert.Equal(outside, Snapshot(At("outside")));
        Assert.Equal(inside, Snapshot(At("d")));
    }

    [Fact]
    public void A_fifo_under_the_output_directory_never_blocks_the_build()
    {
        Assert.Equal(0, Build("shop/intents.yaml", "-o", "d/").ExitCode);
        MakeFifo(At("d/notes.yaml"));

        // Npgen.RunIn kills the process and throws if it does not finish: a hang fails the test.
        var aside = Build("shop/intents.yaml", "-o", "d/");
        Assert.True(aside.ExitCode == 0, aside.ToString());

        File.Delete(At("d/shop/web-ingress.yaml"));
        MakeFifo(At("d/shop/web-ingress.yaml"));
        var inTheWay = Build("shop/intents.yaml", "-o", "d/");

        Assert.True(inTheWay.ExitCode == 2, inTheWay.ToString());
        Assert.Contains(Path.Combine("d", "shop", "web-ingress.yaml") + " exists and was not generated by npgen", inTheWay.StdErr, StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
