using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>
/// Every manifest under kustomize-plugin/argocd/ and examples/gitops checked against Argo CD's and
/// Kubernetes' published fields (argocd-fields.txt): a misspelt or invented key, a wrong type or a
/// missing required field would only show up as a rejected apply or a silently ignored setting.
/// </summary>
public sealed class ArgoCdManifestSchemaTests
{
    // Kinds in those folders that are not Argo CD or Kubernetes wiring; npgen's own tests check them.
    private static readonly HashSet<string> NpgenKinds = ["NetworkPolicy", "Kustomization", "NetworkIntent", "NetworkIntentOverlay"];

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "kustomize-plugin/argocd", "examples/gitops" })
        {
            foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Npgen.Repo, dir), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Npgen.Repo, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_uses_only_published_fields_with_their_types_and_has_the_required_ones(string file)
    {
        var fields = ArgoCdFieldList.Load();
        var problems = new List<string>();
        var checkedKinds = 0;
        foreach (var document in Load(File.ReadAllText(Path.Combine(Npgen.Repo, file))))
        {
            var kind = document.Children.TryGetValue(new YamlScalarNode("kind"), out var k) ? ((YamlScalarNode)k).Value : null;
            if (kind is null)
            {
                // Only a CI workflow may be YAML without a kind here.
                Assert.Contains("/.github/workflows/", file);
                continue;
            }

            if (NpgenKinds.Contains(kind))
            {
                continue;
            }

            Assert.True(fields.Roots.Contains(kind), $"{file}: kind {kind} has no field list in argocd-fields.txt; add its published fields");
            checkedKinds++;
            problems.AddRange(fields.Check(kind, document).Select(p => $"{file}: {p}"));
            if (kind == "ConfigMap")
            {
                problems.AddRange(CheckConfigMapData(fields, file, document));
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        if (!file.Contains("/.github/", StringComparison.Ordinal) && !file.StartsWith("examples/gitops/app-repo", StringComparison.Ordinal) && !file.StartsWith("examples/gitops/gitops-repo/apps", StringComparison.Ordinal))
        {
            Assert.True(checkedKinds > 0, $"{file}: nothing in it was checked");
        }
    }

    [Fact]
    public void The_check_finds_an_unknown_key_a_wrong_type_a_missing_required_field_and_both_destinations()
    {
        var fields = ArgoCdFieldList.Load();
        var app = Load("""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: x}
            spec:
              destination: {server: https://kubernetes.default.svc, name: in-cluster}
              source: {path: a, directory: {recurse: "yes"}}
              syncPolicy: {syncOption: [CreateNamespace=true]}
            """).Single();
        var problems = fields.Check("Application", app);
        Assert.Contains("Application: required field spec.project is missing", problems);
        Assert.Contains("Application: required field spec.source.repoURL is missing", problems);
        Assert.Contains("Application: spec.source.directory.recurse must be boolean", problems);
        Assert.Contains("Application: unknown field spec.syncPolicy.syncOption", problems);
        Assert.Contains("Application: spec.destination must hold exactly one of server, name (found 2)", problems);

        var plugin = Load("""
            apiVersion: argoproj.io/v1alpha1
            kind: ConfigManagementPlugin
            metadata: {name: npgen}
            spec:
              generate: {args: [x]}
              parameters: {static: [{title: no name, collectionType: array, array: [{a: b}]}]}
            """).Single();
        problems = fields.Check("ConfigManagementPlugin", plugin);
        Assert.Contains("ConfigManagementPlugin: required field spec.generate.command is missing", problems);
        Assert.Contains("ConfigManagementPlugin: required field spec.parameters.static[].name is missing", problems);
        Assert.Contains("ConfigManagementPlugin: spec.parameters.static[].array must be a list of strings", problems);
        Assert.False(fields.IsArgoCdCmKey("kustomize.buildOption"));
        Assert.True(fields.IsArgoCdCmKey("kustomize.buildOptions.v5.5.0"));
    }

    private static IEnumerable<string> CheckConfigMapData(ArgoCdFieldList fields, string file, YamlMappingNode configMap)
    {
        var name = ((YamlScalarNode)((YamlMappingNode)configMap["metadata"])["name"]).Value;
        var data = configMap.Children.TryGetValue(new YamlScalarNode("data"), out var d) ? (YamlMappingNode)d : new YamlMappingNode();
        switch (name)
        {
            case "argocd-cm":
                foreach (var key in data.Children.Keys.Cast<YamlScalarNode>())
                {
                    if (!fields.IsArgoCdCmKey(key.Value!))
                    {
                        yield return $"{file}: argocd-cm key {key.Value} is not one npgen's field list knows from argocd-cm.yaml";
                    }
                }

                break;
            case "npgen-plugin-config":
                Assert.True(data.Children.ContainsKey(new YamlScalarNode("plugin.yaml")), $"{file}: no plugin.yaml key (the sidecar mounts it with subPath: plugin.yaml)");
                var definition = Load(((YamlScalarNode)data["plugin.yaml"]).Value!).Single();
                Assert.Equal("ConfigManagementPlugin", ((YamlScalarNode)definition["kind"]).Value);
                foreach (var problem in fields.Check("ConfigManagementPlugin", definition))
                {
                    yield return $"{file}: plugin.yaml: {problem}";
                }

                break;
            default:
                yield return $"{file}: ConfigMap {name} is not one the routes use (argocd-cm, npgen-plugin-config)";
                break;
        }
    }

    internal static List<YamlMappingNode> Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (YamlMappingNode)d.RootNode).ToList();
    }
}
