using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>npgen argocd app: what it prints for one and several namespaces, and what it refuses.</summary>
public sealed class ArgoCdAppCommandTests
{
    private static readonly string[] Namespaces = ["shop", "shop-data"];
    private static readonly string[] Base = ["argocd", "app", "--repo", "https://git.example.com/platform/gitops.git", "--path", "apps/shop", "--name", "shop-netpol"];

    [Fact]
    public void One_namespace_one_application_that_creates_it_before_the_policies_and_no_npgen_managed_by_label()
    {
        var run = Npgen.Run([.. Base, "--dest-namespace", "shop"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.StdErr);
        var app = ArgoCdManifestSchemaTests.Load(run.StdOut).Single();
        Assert.Empty(ArgoCdFieldList.Load().Check("Application", app));
        Assert.DoesNotContain("managed-by", run.StdOut);
        Assert.False(((YamlMappingNode)app["metadata"]).Children.ContainsKey(new YamlScalarNode("labels")));
        var spec = (YamlMappingNode)app["spec"];
        Assert.Equal("shop", ((YamlScalarNode)((YamlMappingNode)spec["destination"])["namespace"]).Value);
        Assert.Equal("apps/shop", ((YamlScalarNode)((YamlMappingNode)spec["source"])["path"]).Value);
        var policy = (YamlMappingNode)spec["syncPolicy"];
        Assert.Equal(["CreateNamespace=true"], ((YamlSequenceNode)policy["syncOptions"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal("true", ((YamlScalarNode)((YamlMappingNode)policy["automated"])["prune"]).Value);
        Assert.True(policy.Children.ContainsKey(new YamlScalarNode("retry")));
    }

    [Fact]
    public void Several_namespaces_one_application_per_namespace_directory_each_creating_its_own()
    {
        var run = Npgen.Run([.. Base, "--dest-namespace", "shop", "--dest-namespace", "shop-data"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var apps = ArgoCdManifestSchemaTests.Load(run.StdOut);
        Assert.Equal(2, apps.Count);
        foreach (var (app, ns) in apps.Zip(Namespaces))
        {
            Assert.Empty(ArgoCdFieldList.Load().Check("Application", app));
            var spec = (YamlMappingNode)app["spec"];
            Assert.Equal("shop-netpol-" + ns, ((YamlScalarNode)((YamlMappingNode)app["metadata"])["name"]).Value);
            Assert.Equal("apps/shop/" + ns, ((YamlScalarNode)((YamlMappingNode)spec["source"])["path"]).Value);
            Assert.Equal(ns, ((YamlScalarNode)((YamlMappingNode)spec["destination"])["namespace"]).Value);
            Assert.Contains("CreateNamespace=true", ((YamlSequenceNode)((YamlMappingNode)spec["syncPolicy"])["syncOptions"]).Children.Select(c => ((YamlScalarNode)c).Value));
        }
    }

    [Fact]
    public void The_gitops_examples_application_file_is_what_the_readmes_command_prints()
    {
        var run = Npgen.Run([.. Base, "--dest-namespace", "shop", "--dest-namespace", "shop-data"]);
        Assert.Equal(File.ReadAllText(Path.Combine(Npgen.Repo, "examples", "gitops", "gitops-repo", "argocd", "shop-netpol.yaml")), run.StdOut);
        var directory = Npgen.Run("argocd", "app", "--repo", "https://git.example.com/platform/gitops.git", "--path", "apps/store/netpol", "--name", "store-netpol", "--dest-namespace", "store");
        Assert.Equal(File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "application-directory.yaml")), directory.StdOut);
    }

    [Fact]
    public void Without_a_namespace_or_with_no_create_namespace_it_says_the_namespaces_must_exist()
    {
        var none = Npgen.Run(Base);
        Assert.Equal(0, none.ExitCode);
        Assert.DoesNotContain("CreateNamespace", none.StdOut);
        Assert.Contains("without --dest-namespace Argo CD creates no namespace", none.StdErr);

        var off = Npgen.Run([.. Base, "--dest-namespace", "shop", "--no-create-namespace"]);
        Assert.Equal(0, off.ExitCode);
        Assert.DoesNotContain("CreateNamespace", off.StdOut);
        Assert.Contains("namespace: shop\n", off.StdOut);
        Assert.Contains("the namespaces must exist before this Application syncs", off.StdErr);
    }

    [Theory]
    [InlineData("/srv/git/gitops.git", "is a path on this machine")]
    [InlineData("../gitops.git", "is a path on this machine")]
    [InlineData("gitops", "is a path on this machine")]
    [InlineData("file:///srv/git/gitops.git", "is a path on this machine")]
    [InlineData("ftp://git.example.com/gitops.git", "is a ftp:// URL")]
    public void A_repository_argo_cd_cannot_clone_is_refused(string repo, string message)
    {
        var run = Npgen.Run("argocd", "app", "--repo", repo, "--path", "apps/shop", "--name", "shop-netpol", "--dest-namespace", "shop");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.StdOut);
        Assert.Contains("error NPG732: --repo", run.StdErr);
        Assert.Contains(message, run.StdErr);
        Assert.Contains("Argo CD's repo-server clones the repository itself", run.StdErr);
    }

    [Fact]
    public void The_repo_server_patch_points_kustomize_at_the_plugins_and_leaves_XDG_CONFIG_HOME_alone()
    {
        var patch = ArgoCdManifestSchemaTests.Load(File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "repo-server-patch.yaml"))).Single();
        var pod = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)patch["spec"])["template"])["spec"];
        var repoServer = ((YamlSequenceNode)pod["containers"]).Children.Cast<YamlMappingNode>()
            .Single(c => ((YamlScalarNode)c["name"]).Value == "argocd-repo-server");
        var env = ((YamlSequenceNode)repoServer["env"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => ((YamlScalarNode)e["name"]).Value!, e => ((YamlScalarNode)e["value"]).Value!);
        // helm and git in the repo-server read XDG_CONFIG_HOME too: npgen's patch must not move it.
        Assert.False(env.ContainsKey("XDG_CONFIG_HOME"));
        var home = env["KUSTOMIZE_PLUGIN_HOME"];

        // The init container copies the plugin to where KUSTOMIZE_PLUGIN_HOME says kustomize looks.
        var init = ((YamlSequenceNode)pod["initContainers"]).Children.Cast<YamlMappingNode>().Single();
        var script = string.Join('\n', ((YamlSequenceNode)init["args"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains($"plugin={home}/npgen.dev/v1alpha1", script);
        foreach (var kind in new[] { "NetworkIntentGenerator", "NetworkIntent", "NetworkIntentValidator" })
        {
            Assert.Contains($"\"$plugin/{kind.ToLowerInvariant()}/{kind}\"", script);
        }
    }

    [Theory]
    [InlineData("https://git.example.com/platform/gitops.git")]
    [InlineData("ssh://git@git.example.com/platform/gitops.git")]
    [InlineData("git@git.example.com:platform/gitops.git")]
    public void A_url_argo_cd_can_clone_is_accepted_as_written(string repo)
    {
        var run = Npgen.Run("argocd", "app", "--repo", repo, "--path", "apps/shop", "--name", "shop-netpol", "--dest-namespace", "shop");
        Assert.True(run.ExitCode == 0, run.ToString());
        var source = (YamlMappingNode)((YamlMappingNode)ArgoCdManifestSchemaTests.Load(run.StdOut).Single()["spec"])["source"];
        Assert.Equal(repo, ((YamlScalarNode)source["repoURL"]).Value);
    }

    [Theory]
    [InlineData("--dest-namespace", "../x", "--dest-namespace \"../x\"", "is not a namespace name")]
    [InlineData("--dest-namespace", "Shop\nx", "--dest-namespace \"Shop\\nx\"", "is not a namespace name")]
    [InlineData("--path", "../apps", "--path \"../apps\"", "must be a directory inside the repository")]
    [InlineData("--path", "/apps/shop", "--path \"/apps/shop\"", "must be a directory inside the repository")]
    [InlineData("--name", "Shop_NetPol", "Application name 'Shop_NetPol'", "is not a Kubernetes object name")]
    public void Bad_names_and_paths_are_refused_with_the_value_escaped(string flag, string value, string shown, string message)
    {
        var args = new List<string> { "argocd", "app", "--repo", "https://git.example.com/g.git", "--path", "apps/shop", "--name", "shop-netpol", "--dest-namespace", "shop" };
        var at = args.IndexOf(flag);
        args[at + 1] = value;
        var run = Npgen.Run([.. args]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.StdOut);
        Assert.Contains(shown + " " + message, run.StdErr);
    }

    [Fact]
    public void The_same_namespace_twice_is_refused()
    {
        var run = Npgen.Run([.. Base, "--dest-namespace", "shop", "--dest-namespace", "shop"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--dest-namespace 'shop' is given twice", run.StdErr);
    }
}
