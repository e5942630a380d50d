using PolicyGen.Diagnostics;

namespace PolicyGen.Kustomize;

/// <summary>
/// Which files a generator config may make npgen read, after kustomize's own load restrictor
/// (<c>--load-restrictor LoadRestrictionsRootOnly</c>, its default): only files inside the
/// kustomization root, the directory of the kustomization that lists the generator.
/// <list type="bullet">
/// <item>Legacy exec plugin: kustomize sets <c>KUSTOMIZE_PLUGIN_CONFIG_ROOT</c> to that directory and
/// starts the plugin in it (kustomize v5 <c>api/internal/plugins/execplugin</c>: <c>cmd.Dir</c> and the
/// env var both come from the plugin loader's <c>Root()</c>).</item>
/// <item>KRM exec function: kustomize starts it with <c>cmd.Dir</c> set to the same root
/// (<c>kyaml/fn/runtime/exec</c>, <c>WorkingDir</c> from <c>LoaderWithWorkingDir(ldr.Root())</c>);
/// kpt starts it in the directory kpt was run from. The working directory is the root.</item>
/// </list>
/// Paths are relative to the root; absolute paths and paths that leave the root (<c>../</c>, or a
/// symlink inside the root that points outside) are refused. Symlinks are resolved component by
/// component, so a link's target is judged, not its name.
/// <para>
/// The opt-in, <c>NPGEN_LOAD_RESTRICTOR=LoadRestrictionsNone</c>, mirrors kustomize's flag of the
/// same name. It is read from the environment of the process that runs kustomize, never from a
/// kustomization or generator config: a kustomization in a repository cannot grant it to itself.
/// </para>
/// </summary>
public sealed record LoadRestrictor(string Root, bool RootOnly)
{
    public const string Variable = "NPGEN_LOAD_RESTRICTOR";
    public const string RootOnlyValue = "LoadRestrictionsRootOnly";
    public const string NoneValue = "LoadRestrictionsNone";

    /// <summary>Symlinks followed while resolving one path, as Linux's own limit (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>The restrictor the variable's value selects; RootOnly when it is unset or empty.</summary>
    public static (LoadRestrictor? Restrictor, Diagnostic? Error) FromEnvironment(string root, string? value)
        => value switch
        {
            null or "" or RootOnlyValue => (new LoadRestrictor(Path.GetFullPath(root), RootOnly: true), null),
            NoneValue => (new LoadRestrictor(Path.GetFullPath(root), RootOnly: false), null),
            _ => (null, Diagnostic.Error(DiagnosticCodes.LoadRestrictorInvalid,
                $"{Variable}={TextEscaping.Quote(value)} is not a load restrictor", null,
                $"set it to {RootOnlyValue} (the default) or {NoneValue}, or unset it")),
        };

    /// <summary>
    /// The full path of a file or directory a generator config names, or the error that refuses it.
    /// <paramref name="field"/> names the config field for the message (<c>spec.intent</c>).
    /// </summary>
    public (string? Path, Diagnostic? Error) Resolve(string written, string field, SourceLocation? location)
    {
        if (written.Length == 0 || written.Contains('\0', StringComparison.Ordinal))
        {
            return (null, Diagnostic.Error(DiagnosticCodes.GeneratorPathOutsideRoot, $"{field}: {TextEscaping.Quote(written)} is not a path", location,
                "give a path relative to the kustomization directory"));
        }

        if (!RootOnly)
        {
            return (Path.GetFullPath(Path.Combine(Root, written)), null);
        }

        if (Path.IsPathRooted(written))
        {
            return (null, Outside(field, written, location, "is an absolute path"));
        }

        var full = Path.GetFullPath(Path.Combine(Root, written));
        if (!IsWithin(Root, full))
        {
            return (null, Outside(field, written, location, $"leaves the kustomization directory {Root}"));
        }

        var realRoot = RealPath(Root);
        var real = RealPath(full);
        if (realRoot is null || real is null || !IsWithin(realRoot, real))
        {
            return (null, Outside(field, written, location,
                $"goes through a symlink that leads outside the kustomization directory {Root}"));
        }

        return (full, null);
    }

    /// <summary>
    /// Every entry of a templates directory must stay inside the root too: a template file that is
    /// a symlink to a secret would otherwise be read (and quoted by the template parser's errors).
    /// </summary>
    public Diagnostic? CheckEntries(string directory, string field, SourceLocation? location)
    {
        if (!RootOnly || !Directory.Exists(directory))
        {
            return null;
        }

        var realRoot = RealPath(Root);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            if (realRoot is null || RealPath(entry) is not { } real || !IsWithin(realRoot, real))
            {
                return Outside(field, Path.GetRelativePath(Root, entry), location,
                    $"is a symlink that leads outside the kustomization directory {Root}");
            }
        }

        return null;
    }

    private static Diagnostic Outside(string field, string written, SourceLocation? location, string why)
        => Diagnostic.Error(DiagnosticCodes.GeneratorPathOutsideRoot,
            $"{field}: {TextEscaping.Quote(written)} {why}; npgen reads only files inside the kustomization, as kustomize does by default",
            location,
            $"move the file under the kustomization directory and name it relative to it; or, if every kustomization this kustomize builds is trusted, "
            + $"set {Variable}={NoneValue} in the environment that runs kustomize (the counterpart of kustomize's --load-restrictor {NoneValue}), "
            + "see kustomize-plugin/README.md");

    private static bool IsWithin(string root, string path)
    {
        var r = Path.TrimEndingDirectorySeparator(root);
        return path == r || path.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || (r.Length > 0 && r[^1] == Path.DirectorySeparatorChar && path.StartsWith(r, StringComparison.Ordinal));
    }

    /// <summary>
    /// The path with every symlink resolved, component by component (a missing tail is kept as
    /// written); null after too many links (a loop).
    /// </summary>
    internal static string? RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var pending = new LinkedList<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        var links = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            var part = node.Value;
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }
            catch (UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
                target = target[current.Length..];
            }

            foreach (var segment in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.AddFirst(segment);
            }
        }

        return current;
    }
}
