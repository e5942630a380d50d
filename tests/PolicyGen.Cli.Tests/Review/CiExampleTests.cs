using PolicyGen.Cli.Tests.GitOps;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.Review;

/// <summary>
/// The pull-request gate of examples/gitops (GitHub Actions and GitLab CI): valid YAML, the history
/// npgen needs is fetched, and the npgen diff command lines they hold, run as written in a real
/// repository with an origin/main, fail on a widening change and pass on a narrowing one.
/// </summary>
public sealed class CiExampleTests : IDisposable
{
    private static readonly string AppRepo = Path.Combine(Npgen.Repo, "examples", "gitops", "app-repo");
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-ci-example-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static YamlMappingNode Load(string relative)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(AppRepo, relative))));
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static YamlNode At(YamlNode node, params string[] keys)
        => keys.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(Scalars),
        _ => [],
    };

    private static List<string> CommandLines(IEnumerable<string> scripts, string program)
        => [.. scripts.SelectMany(s => s.Split('\n')).Select(l => l.Trim()).Where(l => l.StartsWith(program + " ", StringComparison.Ordinal))];

    /// <summary>Shell words up to the first redirection or list operator, quotes removed.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line + " ")
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    var text = word.ToString();
                    if (text is ">" or ">>" or "||" or "|" or "&&" or ";")
                    {
                        return words;
                    }

                    words.Add(text);
                }

                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        return words;
    }

    private static Dictionary<string, List<string>> Gates()
    {
        var github = Load(".github/workflows/netpol-review.yaml");
        var gitlab = Load(".gitlab-ci.yml");
        return new()
        {
            ["github"] = CommandLines(Scalars(At(github, "jobs", "diff", "steps")), "npgen"),
            ["gitlab"] = CommandLines(Scalars(At(gitlab, "netpol-diff", "script")), "npgen"),
        };
    }

    [Fact]
    public void The_workflows_fetch_main_and_may_comment()
    {
        var github = Load(".github/workflows/netpol-review.yaml");
        var gitlab = Load(".gitlab-ci.yml");

        Assert.Contains("pull_request", ((YamlMappingNode)At(github, "on")).Children.Keys.Select(k => k.ToString()));
        Assert.Equal("write", At(github, "permissions", "pull-requests").ToString());
        var checkout = ((YamlSequenceNode)At(github, "jobs", "diff", "steps")).Children.OfType<YamlMappingNode>()
            .Single(s => s.Children.TryGetValue(new YamlScalarNode("uses"), out var uses) && uses.ToString().StartsWith("actions/checkout", StringComparison.Ordinal));
        Assert.Equal("0", At(checkout, "with", "fetch-depth").ToString());
        Assert.Contains(Scalars(At(github, "jobs", "diff", "steps")), s => s.Contains("gh pr comment", StringComparison.Ordinal));
        Assert.Equal("0", At(gitlab, "netpol-diff", "variables", "GIT_DEPTH").ToString());
        Assert.Contains(Scalars(At(gitlab, "netpol-diff", "script")), s => s.Contains("merge_requests/$CI_MERGE_REQUEST_IID/notes", StringComparison.Ordinal));
        foreach (var (ci, lines) in Gates())
        {
            var words = Words(Assert.Single(lines));
            Assert.True(words.Take(2).SequenceEqual(["npgen", "diff"]), ci);
            Assert.Contains("--fail-on", words);
            Assert.Equal("widen", words[words.IndexOf("--fail-on") + 1]);
            Assert.Equal("md", words[words.IndexOf("-o") + 1]);
            Assert.StartsWith("git:origin/main:", words[2]);
        }
    }

    [Fact]
    public void Every_flag_they_pass_is_one_npgen_diff_has()
    {
        var help = Npgen.Run("diff", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var (ci, lines) in Gates())
        {
            foreach (var flag in lines.SelectMany(Words).Where(w => w.StartsWith('-') && w != "-"))
            {
                Assert.True(help.StdOut.Contains($"{flag} ", StringComparison.Ordinal) || help.StdOut.Contains($"{flag},", StringComparison.Ordinal),
                    $"{ci}: npgen diff has no {flag}");
            }
        }
    }

    [Fact]
    public void Their_command_lines_fail_a_widening_change_and_pass_a_narrowing_one()
    {
        // An app repository with main on its origin, as a CI checkout with fetch-depth: 0 has it.
        var origin = GitCli.CreateBare(temp, "origin.git");
        var work = Path.Combine(temp, "work");
        GitCli.Run(temp, "clone", "-q", origin, work);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppRepo, "deploy"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(work, Path.GetRelativePath(AppRepo, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        GitCli.Run(work, "add", "-A");
        GitCli.Run(work, "commit", "-q", "-m", "the intent");
        GitCli.Run(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        GitCli.Run(work, "checkout", "-q", "-b", "change");
        var intent = Path.Combine(work, "deploy", "intents.yaml");
        var original = File.ReadAllText(intent);
        const string WorkerScrape = "      ingress:\n      - from: [{namespace: monitoring, podLabels: {app.kubernetes.io/name: prometheus}}]\n        ports: [metrics]\n      calls:\n      - app: db\n        ports: [postgres]\n";
        Assert.Contains(WorkerScrape, original);

        foreach (var (ci, lines) in Gates())
        {
            // The GitLab job fetches main itself: run its git line as written.
            foreach (var git in CommandLines(Scalars(At(Load(".gitlab-ci.yml"), "netpol-diff", "script")), "git").Where(_ => ci == "gitlab"))
            {
                GitCli.Run(work, [.. Words(git).Skip(1)]);
            }

            var words = Words(Assert.Single(lines)).Skip(1).ToArray();

            // Narrowing: Prometheus no longer scrapes the worker.
            File.WriteAllText(intent, original.Replace(WorkerScrape, "      ingress: []\n      calls:\n      - app: db\n        ports: [postgres]\n", StringComparison.Ordinal));
            var narrowing = Npgen.RunIn(work, null, null, words);
            Assert.True(narrowing.ExitCode == 0, $"{ci}: {narrowing}");
            Assert.Contains("| ➖ removed | `monitoring/{app.kubernetes.io/name=prometheus}` | `shop/worker` | 9090/TCP |", narrowing.StdOut);
            Assert.DoesNotContain("➕", narrowing.StdOut);

            // Widening: Prometheus may scrape the worker's every port.
            File.WriteAllText(intent, original.Replace(WorkerScrape, WorkerScrape.Replace("        ports: [metrics]\n", "", StringComparison.Ordinal), StringComparison.Ordinal));
            var widening = Npgen.RunIn(work, null, null, words);
            Assert.True(widening.ExitCode == 1, $"{ci}: {widening}");
            Assert.Contains("| change | from | to | ports |", widening.StdOut);
            Assert.Contains("| ➕ added | `monitoring/{app.kubernetes.io/name=prometheus}` | `shop/worker` |", widening.StdOut);
        }
    }
}
