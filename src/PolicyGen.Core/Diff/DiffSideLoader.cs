using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Validation;
using PolicyGen.Yaml;

namespace PolicyGen.Diff;

/// <summary>
/// Loads one side of <c>npgen diff</c>: an intent file is built (and proved) as npgen build would;
/// anything else is read as manifests whose NetworkPolicies are the side. A side whose input has
/// errors is not loaded at all: half-read input never becomes an answer.
/// </summary>
public static class DiffSideLoader
{
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    /// <param name="label">OLD or NEW, for messages.</param>
    /// <param name="readStandardInput">Reads all of stdin (for <c>-</c>).</param>
    /// <param name="revisions">Reads <c>git:</c> sides; created on first use (it opens the repository).</param>
    public static DiffSideLoad Load(DiffSideSpec spec, string label, DiffSideOptions options, Func<string> readStandardInput, Func<IRevisionReader> revisions)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(readStandardInput);
        ArgumentNullException.ThrowIfNull(revisions);
        return spec.Kind switch
        {
            DiffSideKind.StandardInput => FromManifests(spec, label, options, [new ManifestSource("<stdin>", readStandardInput())], [], null),
            DiffSideKind.GitRevision => FromRevision(spec, label, options, revisions()),
            _ => FromPath(spec, label, options),
        };
    }

    private static DiffSideLoad FromPath(DiffSideSpec spec, string label, DiffSideOptions options)
    {
        var path = spec.Path;
        if (Directory.Exists(path))
        {
            var (sources, missing) = ManifestFiles.Read([path], () => "");
            return FromManifests(spec, label, options, sources, missing, null);
        }

        if (!File.Exists(path))
        {
            return Failed(DiffFailure.BadInput, Diagnostic.Error(DiagnosticCodes.DiffBadSide, $"{label}: no such file or directory: {path}", null,
                "pass an intent file, a file or directory of NetworkPolicies, - for standard input, or git:REF:PATH"));
        }

        if (new FileInfo(path).Length <= (YamlLimits.Intent.MaxBytes ?? long.MaxValue) && IsIntent(path, ReadSmall(path)))
        {
            var build = BuildPipeline.Run(path, new BuildOptions { Environment = options.Environment, Overlays = options.Overlays, TemplatesDirectory = options.TemplatesDirectory });
            return FromBuild(spec, label, build, null);
        }

        var (files, diagnostics) = ManifestFiles.Read([path], () => "");
        return FromManifests(spec, label, options, files, diagnostics, null);
    }

    private static DiffSideLoad FromRevision(DiffSideSpec spec, string label, DiffSideOptions options, IRevisionReader reader)
    {
        var content = reader.Read(spec.Revision!, spec.Path);
        var messages = content.Diagnostics.Select(d => d.ToString()).ToImmutableArray();
        if (content.Failed)
        {
            return new DiffSideLoad(null, messages, DiffFailure.Git);
        }

        var files = content.IsDirectory
            ? content.Files.Where(f => ManifestExtensions.Contains(System.IO.Path.GetExtension(f.Path), StringComparer.OrdinalIgnoreCase)).ToList()
            : [.. content.Files];
        string Name(RevisionFile file) => $"{DiffSideSpec.GitPrefix}{spec.Revision}:{file.Path}";
        if (!content.IsDirectory && files.Count == 1 && IsIntent(Name(files[0]), files[0].Text))
        {
            var overlays = new List<(string Path, string? Text)>();
            if (options.Environment is { } environment)
            {
                var directory = System.IO.Path.GetDirectoryName(files[0].Path)?.Replace('\\', '/') ?? "";
                var envPath = (directory.Length == 0 ? "" : directory + "/") + "environments/" + environment + ".yaml";
                if (content.ReadSibling(envPath) is not { } envText)
                {
                    return new DiffSideLoad(null, messages.Add(Diagnostic.Error(DiagnosticCodes.IntentOverlay,
                        $"{label}: environment \"{environment}\" has no overlay file {envPath} in {spec.Revision}", null,
                        "check the --env value, or that the environment existed in that revision").ToString()), DiffFailure.BadInput);
                }

                overlays.Add(($"{DiffSideSpec.GitPrefix}{spec.Revision}:{envPath}", envText));
            }

            foreach (var overlay in options.Overlays)
            {
                var (text, tooLarge) = File.Exists(overlay) ? BoundedText.ReadFile(overlay, YamlLimits.Overlay) : (null, null);
                if (tooLarge is not null)
                {
                    return new DiffSideLoad(null, messages.Add(tooLarge.ToString()), DiffFailure.BadInput);
                }

                overlays.Add((overlay, text));
            }

            var (intent, diagnostics) = IntentLoader.LoadText(Name(files[0]), files[0].Text, overlays);
            var build = intent is null
                ? new BuildResult(null, [], null, diagnostics)
                : BuildPipeline.Run(intent, new BuildOptions { Environment = options.Environment, Overlays = options.Overlays, TemplatesDirectory = options.TemplatesDirectory }, diagnostics);
            var loaded = FromBuild(spec, label, build, content.Commit);
            return loaded with { Messages = messages.AddRange(loaded.Messages) };
        }

        var fromManifests = FromManifests(spec, label, options, [.. files.Select(f => new ManifestSource(Name(f), f.Text))], [], content.Commit);
        return fromManifests with { Messages = messages.AddRange(fromManifests.Messages) };
    }

    private static DiffSideLoad FromBuild(DiffSideSpec spec, string label, BuildResult build, string? commit)
    {
        var messages = build.Diagnostics.Select(d => d.ToString()).ToImmutableArray();
        if (!build.Succeeded || build.Intent is null)
        {
            var errors = build.Diagnostics.Count(d => d.Severity == Severity.Error);
            return new DiffSideLoad(null, messages.Add(Diagnostic.Error(DiagnosticCodes.DiffSideUnusable,
                $"{label} ({spec.Text}): the intent does not build ({errors} error{(errors == 1 ? "" : "s")}); nothing was compared", null,
                "fix the errors above (npgen build shows the same), then diff again").ToString()), DiffFailure.BadInput);
        }

        var side = new DiffSide
        {
            Source = spec.Text,
            Kind = "intent",
            Commit = commit,
            Environment = build.Environment,
            Intent = build.Intent,
            Apps = AppConnectivity.Of(build.Intent).Apps,
            Policies = [.. build.Policies.Select(p => p.Parsed)],
        };
        return new DiffSideLoad(side, messages, DiffFailure.None);
    }

    private static DiffSideLoad FromManifests(DiffSideSpec spec, string label, DiffSideOptions options, ImmutableArray<ManifestSource> sources,
        ImmutableArray<Diagnostic> earlier, string? commit)
    {
        var loaded = ManifestLoader.Load(sources);
        var diagnostics = earlier.AddRange(loaded.Diagnostics);
        var messages = diagnostics.Select(d => d.ToString()).ToImmutableArray().ToBuilder();
        if (options.SideSpecific)
        {
            messages.Add(Diagnostic.Warning(DiagnosticCodes.DiffSideUnusable, $"{label} ({spec.Text}) holds policies, not an intent: the environment and overlays given for it do not apply", null).ToString());
        }

        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        var invalid = 0;
        foreach (var policy in loaded.Cluster.Policies)
        {
            foreach (var problem in PolicyValidator.Validate(policy).Where(p => p.Severity == Severity.Error))
            {
                messages.Add(problem.Format(policy));
                invalid++;
            }
        }

        if (errors > 0 || invalid > 0)
        {
            messages.Add(Diagnostic.Error(DiagnosticCodes.DiffSideUnusable,
                errors > 0
                    ? $"{label} ({spec.Text}): {errors} error{(errors == 1 ? "" : "s")} in the input; nothing was compared"
                    : $"{label} ({spec.Text}): the API server would reject these NetworkPolicies, so their meaning is undefined; nothing was compared",
                null, errors > 0 ? "fix the input; npgen validate -f reads it the same way" : "npgen validate -f lists every problem").ToString());
            return new DiffSideLoad(null, messages.ToImmutable(), DiffFailure.BadInput);
        }

        if (loaded.Cluster.Policies.IsEmpty)
        {
            messages.Add(Diagnostic.Warning(DiagnosticCodes.DiffNoPolicies,
                $"{label} ({spec.Text}) holds no NetworkPolicy: on that side every connection is allowed", null,
                "if that is not meant, check the path (a directory is read for *.yaml, *.yml and *.json)").ToString());
        }

        if (!loaded.Cluster.ClusterPolicies.IsEmpty)
        {
            // S18: the comparison is of NetworkPolicy sets; cluster policies are named, never silently dropped.
            messages.Add(Diagnostic.Warning(DiagnosticCodes.ClusterPolicyNotCompared,
                $"{label} ({spec.Text}): not compared: {string.Join(", ", loaded.Cluster.ClusterPolicies.Select(p => p.Id))} (npgen diff compares NetworkPolicies only)", null,
                "compare what the cluster allows with npgen matrix -f on each side, which evaluates cluster policies").ToString());
        }

        var side = new DiffSide
        {
            Source = spec.Text,
            Kind = "policies",
            Commit = commit,
            Policies = loaded.Cluster.Policies,
            Workloads = loaded.Cluster with { Policies = [] },
        };
        return new DiffSideLoad(side, messages.ToImmutable(), DiffFailure.None);
    }

    private static string ReadSmall(string path)
    {
        var (text, _) = BoundedText.ReadFile(path, YamlLimits.Intent);
        return text ?? "";
    }

    /// <summary>True when the first document is a mapping with kind: NetworkIntent.</summary>
    public static bool IsIntent(string name, string text)
    {
        var (documents, error) = SourceNodeReader.Read(name, text, YamlLimits.Intent);
        return error is null && documents.FirstOrDefault() is MappingNode map && (map["kind"] as ScalarNode)?.Value == "NetworkIntent";
    }

    private static DiffSideLoad Failed(DiffFailure failure, Diagnostic diagnostic) => new(null, [diagnostic.ToString()], failure);
}
