using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>What a user sees: verdicts, explanations, exit codes, errors that point at file:line:col.</summary>
public sealed class CliBehaviourTests : IDisposable
{
    private const string Example = "examples/cluster";
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(temp, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Eval_explains_a_denied_connection_and_exits_0()
    {
        var run = Npgen.Run("eval", "-f", Example, "--from", "shop/web", "--to", "shop/db", "--port", "5432");
        Assert.Equal(0, run.ExitCode);
        var lines = run.StdOut.Split('\n');
        Assert.Equal("shop/web (Deployment) -> shop/db (StatefulSet) 5432/TCP: DENIED", lines[0]);
        Assert.Contains("egress  denied", lines[1]);
        Assert.Contains("shop/web is isolated for egress by shop/allow-dns, shop/default-deny, shop/web", lines[1]);
        Assert.Contains("no egress rule of these policies allows to shop/db on 5432/TCP", lines[1]);
        Assert.Contains("ingress denied", lines[2]);
    }

    [Fact]
    public void Eval_exit_code_flag_turns_a_denial_into_exit_1()
    {
        // A real process: the exit status the shell sees.
        var denied = NpgenProcess.Run("eval", "-f", Example, "--from", "shop/web", "--to", "shop/db", "--port", "5432", "--exit-code");
        Assert.Equal(1, denied.ExitCode);
        var allowed = NpgenProcess.Run("eval", "-f", Example, "--from", "shop/api", "--to", "shop/db", "--port", "5432", "--exit-code");
        Assert.Equal(0, allowed.ExitCode);
    }

    [Fact]
    public void Eval_json_names_the_rules_that_allowed_each_half()
    {
        var run = Npgen.Run("eval", "-f", Example, "--from", "shop/api", "--to", "shop/db", "--port", "5432/TCP", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.True(root.GetProperty("allowed").GetBoolean());
        var egress = root.GetProperty("explanation").GetProperty("egress");
        Assert.Equal("shop/api", egress.GetProperty("allowedBy")[0].GetProperty("policy").GetString());
        Assert.Equal(0, egress.GetProperty("allowedBy")[0].GetProperty("rule").GetInt32());
        var ingress = root.GetProperty("explanation").GetProperty("ingress");
        Assert.Equal(["shop/db", "shop/default-deny"], ingress.GetProperty("isolatingPolicies").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("shop/db", ingress.GetProperty("allowedBy")[0].GetProperty("policy").GetString());
    }

    [Fact]
    public void Eval_resolves_named_ports_on_the_destination()
    {
        // S7.4: "metrics" is 9090 on the API pods, so Prometheus may scrape 9090 but not 8080.
        var scrape = Npgen.Run("eval", "-f", Example, "--from", "monitoring/prometheus", "--to", "shop/api", "--port", "9090", "-o", "json");
        var other = Npgen.Run("eval", "-f", Example, "--from", "monitoring/prometheus", "--to", "shop/api", "--port", "8080", "-o", "json");
        Assert.True(JsonDocument.Parse(scrape.StdOut).RootElement.GetProperty("allowed").GetBoolean(), scrape.ToString());
        Assert.False(JsonDocument.Parse(other.StdOut).RootElement.GetProperty("allowed").GetBoolean(), other.ToString());
    }

    [Fact]
    public void Eval_accepts_an_external_address_and_says_its_side_is_not_governed()
    {
        var run = Npgen.Run("eval", "-f", Example, "--from", "203.0.113.9", "--to", "shop/web", "--port", "8080");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("203.0.113.9 -> shop/web (Deployment) 8080/TCP: DENIED", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("egress  n/a", run.StdOut);
        Assert.Contains("203.0.113.9 is an external source", run.StdOut);
    }

    [Fact]
    public void Eval_unknown_endpoint_is_bad_input_and_lists_what_exists()
    {
        var run = Npgen.Run("eval", "-f", Example, "--from", "shop/wbe", "--to", "shop/db", "--port", "5432");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--from: no pod or workload named shop/wbe", run.StdErr);
        Assert.Contains("shop/web", run.StdErr);
    }

    [Theory]
    [InlineData("Http_Port")] // not a port name either (a name such as http now resolves on the destination: NamedPortAndAddressCliTests)
    [InlineData("0")]
    [InlineData("80/ICMP")]
    [InlineData("70000")]
    public void Eval_bad_port_is_bad_input_with_a_hint(string port)
    {
        var run = Npgen.Run("eval", "-f", Example, "--from", "shop/web", "--to", "shop/api", "--port", port);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("e.g. --port 53/UDP", run.StdErr);
    }

    [Fact]
    public void Usage_errors_exit_2_and_point_to_help()
    {
        // A real process: a usage error's exit status as the shell sees it.
        var missing = NpgenProcess.Run("eval", "--from", "a/b", "--to", "c/d", "--port", "80");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--filename", missing.StdErr);
        Assert.Contains("npgen eval --help", missing.StdErr);

        var unknown = NpgenProcess.Run("matrix", "-f", Example, "--colour");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--colour", unknown.StdErr);
    }

    [Fact]
    public void Missing_file_is_bad_input()
    {
        var run = Npgen.Run("matrix", "-f", "no/such/file.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such file or directory: no/such/file.yaml", run.StdErr);
    }

    [Fact]
    public void Malformed_yaml_names_file_line_and_column()
    {
        var path = Write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [x\n");
        var run = Npgen.Run("matrix", "-f", path);
        Assert.Equal(2, run.ExitCode);
        // At the bracket left open (line 5), not at the end of the file where YAML notices it.
        Assert.Matches($@"{Regex(path)}:5:11: error NPG101: invalid YAML", run.StdErr);
        Assert.Contains("hint: a { ... } mapping or [ ... ] list is not closed", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("", run.StdOut);
    }

    [Fact]
    public void Wrong_type_names_the_field_and_its_line()
    {
        var path = Write("type.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n  - app\n");
        var run = Npgen.Run("matrix", "-f", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{path}:6:3: error NPG102: metadata.labels: expected a mapping (key: value), found a list", run.StdErr);
    }

    [Fact]
    public void Duplicate_object_names_both_places()
    {
        var pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: x\n";
        var path = Write("dup.yaml", pod + "---\n" + pod);
        var run = Npgen.Run("matrix", "-f", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{path}:7:1: error NPG104: duplicate object: Pod x/a is already defined at {path}:1:1", run.StdErr);
    }

    [Fact]
    public void Stdin_directories_and_file_order_give_the_same_bytes()
    {
        // A real process: stdin through a pipe, and matrix -o json streamed to the real stdout.
        string[] files = [Path.Combine(Example, "namespaces.yaml"), Path.Combine(Example, "workloads.yaml"), Path.Combine(Example, "policies.yaml")];
        var fromDirectory = NpgenProcess.Run("matrix", "-f", Example, "-o", "json");
        var reversed = NpgenProcess.Run("matrix", "-f", files[2], "-f", files[1], "-f", files[0], "-o", "json");
        var stdin = NpgenProcess.RunWithInput(string.Join("\n---\n", files.Select(f => File.ReadAllText(Path.Combine(Npgen.Repo, f)))),
            "matrix", "-f", "-", "-o", "json");
        Assert.Equal(0, fromDirectory.ExitCode);
        Assert.Equal(fromDirectory.StdOut, reversed.StdOut);
        Assert.Equal(fromDirectory.StdOut, stdin.StdOut);
        Assert.Equal(fromDirectory.StdOut, NpgenProcess.Run("matrix", "-f", Example, "-o", "json").StdOut);
    }

    [Fact]
    public void Matrix_formats_cover_every_pair_for_each_requested_port()
    {
        var csv = Npgen.Run("matrix", "-f", Example, "-p", "5432", "-p", "53/UDP", "-o", "csv");
        Assert.Equal(0, csv.ExitCode);
        var lines = csv.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal("from,to,port,protocol,allowed,ingress,egress", lines[0]);
        Assert.Equal(1 + (2 * 6 * 6), lines.Length);
        Assert.Contains("shop/api,shop/db,5432,TCP,true,true,true", lines);
        Assert.Contains("shop/web,kube-system/coredns,53,UDP,true,true,true", lines);
        Assert.Contains("shop/web,shop/db,5432,TCP,false,false,false", lines);

        var md = Npgen.Run("matrix", "-f", Example, "-p", "5432", "-o", "md");
        Assert.Contains("### 5432/TCP", md.StdOut);
        Assert.Contains("| from \\ to | ingress-nginx/controller | kube-system/coredns |", md.StdOut);
    }

    [Fact]
    public void Matrix_table_of_the_example_matches_the_reviewed_golden_file()
    {
        var run = Npgen.Run("matrix", "-f", Example);
        Assert.Equal(0, run.ExitCode);
        var golden = Path.Combine(Npgen.Repo, "tests", "PolicyGen.Cli.Tests", "Golden", "example-matrix.txt");
        if (Environment.GetEnvironmentVariable("NPGEN_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, run.StdOut);
        }

        Assert.Equal(File.ReadAllText(golden), run.StdOut);
    }

    [Fact]
    public void Matrix_timings_go_to_stderr_and_leave_stdout_unchanged()
    {
        var plain = Npgen.Run("matrix", "-f", Example, "-o", "json");
        var timed = Npgen.RunIn(Npgen.Repo, new Dictionary<string, string> { ["NPGEN_TIMINGS"] = "1" }, null, "matrix", "-f", Example, "-o", "json");
        Assert.Equal(0, timed.ExitCode);
        Assert.Equal(plain.StdOut, timed.StdOut);
        Assert.Equal("", plain.StdErr);
        var stages = timed.StdErr.TrimEnd('\n').Split('\n');
        Assert.All(stages, line => Assert.Matches(@"^npgen: \S.{21} +[0-9]+\.[0-9] ms$", line));
        Assert.Equal(
            ["read manifests", "check policies", "ip atoms", "identities", "label index", "compile policies", "isolation", "cluster policies",
             "port classes", "ingress rows", "egress rows", "write output"],
            stages.Select(line => line["npgen: ".Length..].Split("  ")[0].Trim()));
    }

    [Fact]
    public void Eval_timings_go_to_stderr_and_leave_stdout_unchanged()
    {
        string[] args = ["eval", "-f", Example, "--from", "shop/web", "--to", "shop/db", "--port", "5432"];
        var plain = Npgen.Run(args);
        var timed = Npgen.RunIn(Npgen.Repo, new Dictionary<string, string> { ["NPGEN_TIMINGS"] = "1" }, null, args);
        Assert.Equal(plain.ExitCode, timed.ExitCode);
        Assert.Equal(plain.StdOut, timed.StdOut);
        Assert.StartsWith("npgen: read manifests ", timed.StdErr, StringComparison.Ordinal);
        Assert.Contains("npgen: identities ", timed.StdErr, StringComparison.Ordinal);
        Assert.EndsWith(" ms\n", timed.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_the_example()
    {
        var run = Npgen.Run("validate", "-f", Example);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StdOut);
        Assert.Contains("5 NetworkPolicies valid", run.StdErr);
    }

    [Fact]
    public void Validate_lists_every_problem_as_file_line_column_object_field_message_and_exits_1()
    {
        var path = Write("invalid.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: bad
              namespace: x
            spec:
              podSelector: {}
              ingress:
              - from:
                - ipBlock:
                    cidr: 10.0.0.0/8
                    except:
                    - 10.0.0.0/8
                ports:
                - port: 80
                  protocol: tcp
            """);
        var run = Npgen.Run("validate", "-f", path);
        Assert.Equal(1, run.ExitCode);
        var lines = run.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{path}:13:11: x/bad: spec.ingress[0].from[0].ipBlock.except[0]: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("strict subset", lines[0]);
        Assert.StartsWith($"{path}:16:17: x/bad: spec.ingress[0].ports[0].protocol: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("1 of 1 NetworkPolicies invalid: 2 errors", run.StdErr);

        var json = Npgen.Run("validate", "-f", path, "-o", "json");
        Assert.Equal(1, json.ExitCode);
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(13, doc.RootElement.GetProperty("problems")[0].GetProperty("line").GetInt32());

        // eval and matrix refuse to judge what the API server would reject.
        var matrix = Npgen.Run("matrix", "-f", path);
        Assert.Equal(2, matrix.ExitCode);
        Assert.Contains("npgen validate", matrix.StdErr);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("matrix")]
    [InlineData("validate")]
    public void Help_teaches_by_example(string command)
    {
        var run = Npgen.Run(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.StdOut);
        Assert.Contains($"npgen {command} -f ", run.StdOut);
    }

    [Fact]
    public void Sync_wave_defaults_to_minus_1_and_can_be_changed_or_left_out()
    {
        const string Intent = "examples/recipe-01-deny-all-to-app/intents.yaml";
        var byDefault = Npgen.Run("build", Intent);
        Assert.Equal(0, byDefault.ExitCode);
        Assert.Contains("    argocd.argoproj.io/sync-wave: \"-1\"\n", byDefault.StdOut);

        var five = Npgen.Run("build", Intent, "--sync-wave", "+5");
        Assert.Equal(0, five.ExitCode);
        Assert.Contains("    argocd.argoproj.io/sync-wave: \"5\"\n", five.StdOut);

        var none = Npgen.Run("build", Intent, "--sync-wave", "none");
        Assert.Equal(0, none.ExitCode);
        Assert.DoesNotContain("sync-wave", none.StdOut);

        var bad = Npgen.Run("build", Intent, "--sync-wave", "early");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--sync-wave \"early\" is neither an integer nor none", bad.StdErr);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
