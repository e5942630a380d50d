using PolicyGen.Diagnostics;

namespace PolicyGen.Manifests;

/// <summary>JSON input npgen refuses (not JSON, too deep, a duplicate key, a value too long), with its diagnostic.</summary>
internal sealed class ManifestJsonException(Diagnostic diagnostic) : Exception(diagnostic.Message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
