using PolicyGen.Diagnostics;

namespace PolicyGen.Yaml;

/// <summary>
/// Input npgen refuses to read (a limit reached, a merge key it cannot resolve as kubectl would,
/// an unknown or recursive alias): thrown by the reader, turned into its diagnostic by the caller.
/// </summary>
public sealed class YamlInputException(Diagnostic diagnostic) : Exception(diagnostic.Message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
