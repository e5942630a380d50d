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
}
