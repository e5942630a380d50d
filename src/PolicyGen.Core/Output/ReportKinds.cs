namespace PolicyGen.Output;

/// <summary>
/// The <c>apiVersion</c> and <c>kind</c> at the top of every JSON or YAML document npgen prints or
/// writes for programs to read (docs/output.md), so a script can tell which document and which
/// version of its shape it holds. A kind keeps one shape whatever the input's size.
/// </summary>
public static class ReportKinds
{
    public const string ApiVersion = "npgen.dev/v1alpha1";

    /// <summary><c>npgen build --report json|yaml</c>.</summary>
    public const string Build = "BuildReport";

    /// <summary><c>npgen verify -o json|yaml</c>.</summary>
    public const string Verify = "VerifyReport";

    /// <summary><c>npgen verify --rendered -f ... -o json|yaml</c>.</summary>
    public const string RenderedVerify = "RenderedVerifyReport";

    /// <summary><c>npgen check -o json</c>.</summary>
    public const string Check = "CheckReport";

    /// <summary><c>npgen eval -o json</c>.</summary>
    public const string Eval = "EvalReport";

    /// <summary><c>npgen matrix -o json</c>.</summary>
    public const string Matrix = "MatrixReport";

    /// <summary><c>npgen validate -o json</c>.</summary>
    public const string Validate = "ValidateReport";

    /// <summary><c>npgen publish -o json</c>.</summary>
    public const string Publish = "PublishReport";

    /// <summary><c>manifest.json</c> of <c>npgen bench gen</c>.</summary>
    public const string BenchManifest = "BenchWorkloadManifest";
}
