using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Intent;

/// <summary>
/// Reads an intent file and its environment overlays: <c>--env prod</c> merges
/// <c>environments/prod.yaml</c> next to the intent file; explicit overlay files merge in order.
/// </summary>
public static class IntentLoader
{
    public static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) Load(
        string path, string? environment = null, IReadOnlyList<string>? overlays = null)
    {
        if (!File.Exists(path))
        {
            return (null, [Diagnostic.Error(DiagnosticCodes.FileNotFound, $"no such intent file: {path}", null,
                "pass the path of an intent file; npgen init writes a starter intents.yaml")]);
        }

        // Read bounded before anything is parsed: a huge file or a device ends with an error, not out of memory.
        var (text, tooLarge) = BoundedText.ReadFile(path, YamlLimits.Intent);
        if (text is null)
        {
            return (null, [tooLarge!]);
        }

        return Load(new IntentInput(path, text), environment, overlays);
    }

    /// <summary>An intent already read (a file, or standard input: see <see cref="IntentResolver"/>), with its environment and overlays.</summary>
    public static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) Load(
        IntentInput input, string? environment, IReadOnlyList<string>? overlays)
    {
        var path = input.Path;
        var files = new List<string>();
        if (environment is not null)
        {
            var envFile = Path.Combine(Path.GetDirectoryName(path) ?? ".", "environments", environment + ".yaml");
            if (input.IsStdin || !File.Exists(envFile))
            {
                var names = input.IsStdin ? [] : IntentResolver.EnvironmentsOf(path);
                var closest = DidYouMean.Closest(environment, names);
                var available = string.Join(", ", names);
                return (null, [Diagnostic.Error(DiagnosticCodes.IntentOverlay, $"environment \"{environment}\" has no overlay file {envFile}", null,
                    (closest is null ? "" : $"did you mean --env {closest}? ")
                    + (available.Length > 0 ? $"environments found: {available}" : "create environments/<env>.yaml next to the intent file"))]);
            }

            files.Add(envFile);
        }

        files.AddRange(overlays ?? []);

        var overlayTexts = new List<(string Path, string? Text)>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                overlayTexts.Add((file, null));
                continue;
            }

            var (overlayText, overlayTooLarge) = BoundedText.ReadFile(file, YamlLimits.Overlay);
            if (overlayText is null)
            {
                return (null, [overlayTooLarge!]);
            }

            overlayTexts.Add((file, overlayText));
        }

        return LoadText(path, input.Text, overlayTexts, input.Documents);
    }

    public static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) LoadText(
        string path, string text, IReadOnlyList<(string Path, string? Text)>? overlays = null)
        => LoadText(path, text, overlays, default);

    /// <param name="parsed">The text's documents when the caller already parsed it (<see cref="IntentInput.Documents"/>); default: parse it here.</param>
    private static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) LoadText(
        string path, string text, IReadOnlyList<(string Path, string? Text)>? overlays, ImmutableArray<SourceNode> parsed)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var typos = new List<Diagnostic>(); // NPG145: the rest of the intent is still checked
        var (documents, error) = parsed.IsDefault ? SourceNodeReader.Read(path, text, YamlLimits.Intent) : (parsed, null);
        if (error is not null)
        {
            return (null, [error]);
        }

        if (documents.IsEmpty || documents[0] is ScalarNode { IsNull: true })
        {
            return (null, [Diagnostic.Error(DiagnosticCodes.IntentBadHeader, "the intent file is empty", new SourceLocation(path, 1, 1),
                "npgen init writes a commented starter file")]);
        }

        var root = documents[0];
        foreach (var (overlayPath, overlayText) in overlays ?? [])
        {
            if (overlayText is null)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileNotFound, $"no such overlay file: {overlayPath}", null));
                continue;
            }

            var (overlayDocs, overlayError) = SourceNodeReader.Read(overlayPath, overlayText, YamlLimits.Overlay);
            if (overlayError is not null)
            {
                diagnostics.Add(overlayError);
                continue;
            }

            if (overlayDocs.FirstOrDefault() is not MappingNode overlay || overlay["spec"] is not { } overlaySpec)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.IntentOverlay, "an overlay must be a mapping with spec:",
                    overlayDocs.FirstOrDefault()?.Location ?? new SourceLocation(overlayPath, 1, 1),
                    "write spec: with only the parts that change, e.g. spec: {networks: {partner: [198.51.100.0/24]}}"));
                continue;
            }

            if (root is MappingNode rootMap && rootMap["spec"] is { } baseSpec)
            {
                // An app the intent lacks, changed by a typo, is reported once (NPG145) and left out of
                // the merge, so the binder does not add "has no namespace" about a name that is not meant.
                var (unknownApps, withoutThem) = UnknownApps(baseSpec, overlaySpec);
                typos.AddRange(unknownApps);
                overlaySpec = withoutThem;

                foreach (var unmatched in OverlayMerger.UnmatchedRemovals(baseSpec, overlaySpec))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticCodes.IntentOverlay, Severity.Warning,
                        "remove: matches nothing in the base intent", unmatched.Location, "check the fields against the base file"));
                }

                var merged = OverlayMerger.Merge(baseSpec, overlaySpec);
                root = rootMap with { Entries = [.. rootMap.Entries.Select(e => e.Key.Value == "spec" ? KeyValuePair.Create(e.Key, merged) : e)] };
            }
        }

        if (diagnostics.HasErrors())
        {
            diagnostics.AddRange(typos);
            return (null, diagnostics.ToImmutable());
        }

        var (intent, bindDiagnostics) = IntentBinder.Bind(root);
        diagnostics.AddRange(bindDiagnostics);
        diagnostics.AddRange(typos);
        if (typos.Count > 0)
        {
            intent = null;
        }

        return (intent, InFileOrder(diagnostics, [path, .. (overlays ?? []).Select(o => o.Path)]));
    }

    /// <summary>
    /// Apps an overlay changes that the intent does not declare. An overlay may add an app (with its
    /// namespace and selector); one that only changes fields of a name the intent lacks is a typo,
    /// and merging it would report the missing namespace and selector instead of the real mistake.
    /// </summary>
    private static (List<Diagnostic> Problems, SourceNode OverlaySpec) UnknownApps(SourceNode baseSpec, SourceNode overlaySpec)
    {
        var problems = new List<Diagnostic>();
        if (overlaySpec is not MappingNode { } overlay || overlay["apps"] is not MappingNode overlayApps)
        {
            return (problems, overlaySpec);
        }

        var known = (baseSpec as MappingNode)?["apps"] is MappingNode baseApps
            ? baseApps.Entries.Select(e => e.Key.Value).ToList()
            : [];
        foreach (var (key, value) in overlayApps.Entries)
        {
            if (known.Contains(key.Value, StringComparer.Ordinal)
                || (value is MappingNode app && (app["namespace"] is not null || app["selector"] is not null)))
            {
                continue; // an app of the intent, or a new one being declared (the binder checks it is whole)
            }

            var closest = DidYouMean.Closest(key.Value, known);
            problems.Add(Diagnostic.Error(DiagnosticCodes.OverlayUnknownApp,
                $"the overlay changes app \"{TextEscaping.ForLine(key.Value)}\", which the intent does not declare",
                key.Location,
                (closest is null ? "" : $"did you mean {TextEscaping.ForLine(closest)}? ")
                + (known.Count == 0 ? "the intent declares no apps" : $"the intent's apps: {TextEscaping.ForLine(string.Join(", ", known.Take(20)))}{(known.Count > 20 ? ", ..." : "")}")
                + "; to add a new app, give it a namespace and a selector"));
        }

        if (problems.Count == 0)
        {
            return (problems, overlaySpec);
        }

        var unknown = problems.Select(p => p.Location).ToHashSet();
        var appsKey = overlay.Entries.First(e => e.Key.Tag is null && e.Key.Value == "apps").Key;
        var kept = overlayApps with { Entries = [.. overlayApps.Entries.Where(e => !unknown.Contains(e.Key.Location))] };
        return (problems, overlay.With(appsKey, kept));
    }

    /// <summary>
    /// The binder checks in passes (names before the edges that refer to them), so it finds
    /// mistakes out of order; report them as they appear: the intent file first, then each
    /// overlay in merge order, each by line and column.
    /// </summary>
    private static ImmutableArray<Diagnostic> InFileOrder(IEnumerable<Diagnostic> diagnostics, List<string> files)
    {
        int Rank(Diagnostic d) => d.Location is null ? -1 : files.IndexOf(d.Location.File) is var i && i >= 0 ? i : files.Count;
        return [.. diagnostics.OrderBy(Rank).ThenBy(d => d.Location?.Line ?? 0).ThenBy(d => d.Location?.Column ?? 0)];
    }
}
