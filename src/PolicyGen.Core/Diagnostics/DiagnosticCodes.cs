namespace PolicyGen.Diagnostics;

/// <summary>The error codes npgen reports; docs/errors.md explains each one.</summary>
public static class DiagnosticCodes
{
    // Reading manifests (NPG1xx).
    public const string FileNotFound = "NPG100";
    public const string YamlSyntax = "NPG101";
    public const string WrongType = "NPG102";
    public const string MissingField = "NPG103";
    public const string DuplicateObject = "NPG104";
    public const string BadValue = "NPG105";
    public const string DuplicateEndpoint = "NPG106";

    // NetworkPolicy API validation, rules S14.1-S14.9 (NPG2xx).
    public const string InvalidPolicy = "NPG200";

    // Writing output (NPG5xx).
    public const string InvalidOutputPath = "NPG500";
    public const string MissingGeneratedMarker = "NPG501";
    public const string DuplicateOutputPath = "NPG502";
    public const string OutputPathOccupied = "NPG503";
    public const string OutputWriteFailed = "NPG504";
    public const string OutputPartiallyWritten = "NPG505";
    public const string StaleFileNotDeleted = "NPG506";
    public const string OutputCleanupIncomplete = "NPG507";
}
