namespace PolicyGen.Cli.Tests;

/// <summary>
/// The YAML front end through the real npgen: bounded input ends with exit 2 and a located error
/// (never a stack trace, never exit 1 or 134); merge keys and typed lists change the answers as
/// kubectl would apply them; skipped input is named on stderr.
/// </summary>
public sealed class YamlInputCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-yaml-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(temp, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertRefused(NpgenRun run, string code)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error {code}:", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Exception", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("", run.StdOut);
    }

    [DevZeroFact]
    public void Build_of_dev_zero_ends_with_the_size_limit_error()
    {
        var run = Npgen.Run("build", "/dev/zero");
        AssertRefused(run, "NPG107");
        Assert.Contains("/dev/zero:1:8388609: error NPG107: /dev/zero is larger than 8 MiB, the most npgen reads as one intent file", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_of_an_alias_bomb_recursive_alias_or_deep_nesting_exits_2_with_the_place()
    {
        var laughs = new System.Text.StringBuilder("apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata: {name: x}\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            laughs.Append(System.Globalization.CultureInfo.InvariantCulture, $"x{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        var bomb = Npgen.Run("build", Write("bomb.yaml", laughs.ToString()));
        AssertRefused(bomb, "NPG109");
        Assert.Matches(@"bomb\.yaml:\d+:\d+: error NPG109: the intent file contains excessive aliasing", bomb.StdErr);

        var recursive = Npgen.Run("build", Write("loop.yaml", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata: {name: x}\nspec: &s\n  apps: *s\n"));
        AssertRefused(recursive, "NPG109");
        Assert.Contains("loop.yaml:5:9: error NPG109: anchor 's' contains an alias to itself", recursive.StdErr, StringComparison.Ordinal);

        var deep = Npgen.Run("build", Write("deep.yaml", new string('[', 100_000)));
        AssertRefused(deep, "NPG108");
        Assert.Contains("deep.yaml:1:1001: error NPG108:", deep.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_of_a_deep_or_aliased_manifest_exits_2()
    {
        AssertRefused(Npgen.Run("validate", "-f", Write("deep.yaml", "apiVersion: v1\nkind: Pod\nspec: " + new string('{', 100_000))), "NPG108");
        AssertRefused(Npgen.Run("validate", "-f", Write("loop.yaml", "apiVersion: v1\nkind: Pod\nmetadata: &m {labels: *m}\n")), "NPG109");
    }

    private const string Pods = """
        apiVersion: v1
        kind: PodList
        items:
        - metadata: {name: client, namespace: shop, labels: {app: client}}
        - metadata: {name: db, namespace: shop, labels: {app: db}}
          spec: {containers: [{name: db, ports: [{containerPort: 5432}]}]}

        """;

    private NpgenRun Eval(string manifests)
        => Npgen.Run("eval", "-f", Write("cluster.yaml", manifests), "--from", "shop/client", "--to", "shop/db", "--port", "5432");

    [Fact]
    public void Eval_reads_a_merge_key_under_a_policy_spec_as_kubectl_applies_it()
    {
        const string DenyAll = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";
        var denied = Eval(Pods + DenyAll);
        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Contains(": DENIED", denied.StdOut, StringComparison.Ordinal);

        var merged = Eval(Pods + DenyAll + "  <<: {ingress: [{}]}\n");
        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Contains(": ALLOWED", merged.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_denies_what_a_network_policy_list_denies()
    {
        var allowed = Eval(Pods);
        Assert.Contains(": ALLOWED", allowed.StdOut, StringComparison.Ordinal);

        var denied = Eval(Pods + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicyList
            items:
            - metadata: {name: db-ingress, namespace: shop}
              spec:
                podSelector: {matchLabels: {app: db}}
                policyTypes: [Ingress]
                ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
            """);
        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Contains(": DENIED", denied.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_objects_unmodeled_policies_and_non_object_files_are_named_on_stderr()
    {
        var dir = Path.Combine(temp, "cluster");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "a.yaml"), Pods + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\n");
        File.WriteAllText(Path.Combine(dir, "b.yaml"), "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c, namespace: shop}\nspec: {}\n");
        File.WriteAllText(Path.Combine(dir, "c.json"), "[1, 2, 3]\n");
        foreach (var args in new[]
        {
            new[] { "validate", "-f", dir },
            ["eval", "-f", dir, "--from", "shop/client", "--to", "shop/db", "--port", "5432"],
            ["matrix", "-f", dir],
        })
        {
            var run = Npgen.Run(args);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"warning NPG111: skipped 1 object npgen does not use: 1 Service (in {Path.Combine(dir, "a.yaml")})", run.StdErr, StringComparison.Ordinal);
            Assert.Contains($"{Path.Combine(dir, "b.yaml")}:1:1: warning NPG113: verdicts ignore 1 CiliumNetworkPolicy object (cilium.io/v2)", run.StdErr, StringComparison.Ordinal);
            Assert.Contains($"{Path.Combine(dir, "c.json")}:1:1: warning NPG112: {Path.Combine(dir, "c.json")} holds a list where a Kubernetes object", run.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_file_of_plain_text_is_named_but_its_text_never_printed()
    {
        // A secret (or /etc/passwd behind a link) passed with -f by mistake: the warning says what
        // the file is, not what it says, so nothing of it lands in a terminal or a CI log.
        var path = Write("token.yaml", "s3cr3t-t0ken-do-not-print\n");
        foreach (var args in new[] { new[] { "validate", "-f", path }, ["lint", "-f", path], ["matrix", "-f", path] })
        {
            var run = Npgen.Run(args);
            Assert.Contains($"{path}:1:1: warning NPG112: {path} holds a single value of 25 characters", run.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", run.StdErr + run.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_refuses_a_container_port_out_of_range_at_its_line()
    {
        var path = Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 65536\n");
        var run = Npgen.Run("validate", "-f", path);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{path}:8:22: error NPG114: spec.containers[0].ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive", run.StdErr, StringComparison.Ordinal);
    }

    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web: {namespace: shop, selector: {app: web}}
        """;

    [Fact]
    public void Build_with_a_template_that_widens_the_default_deny_through_a_merge_key_fails_verification()
    {
        var dir = Path.Combine(temp, "templates");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(Path.Combine(Npgen.Repo, "templates"), "*.sbn"))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        var template = Path.Combine(dir, "namespace-default-deny.sbn");
        var text = File.ReadAllText(template);
        Assert.Contains("spec:\n  podSelector: {}", text, StringComparison.Ordinal);
        File.WriteAllText(template, text.Replace("spec:\n  podSelector: {}", "spec:\n  <<: {ingress: [{}]}\n  podSelector: {}", StringComparison.Ordinal));
        var intent = Write("intents.yaml", Intent);
        var output = Path.Combine(temp, "out");

        var run = Npgen.Run("build", intent, "--templates", dir, "-o", output + "/");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error NPG400:", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("intent denies, policies allow", run.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "nothing may be written");
    }
}
