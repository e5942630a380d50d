namespace PolicyGen.Cli.Tests.Review;

/// <summary>A theory that renders with Graphviz's dot: reported as skipped when dot is not installed, never passed silently.</summary>
public sealed class GraphvizTheoryAttribute : TheoryAttribute
{
    public GraphvizTheoryAttribute()
    {
        if (Graphviz.DotPath is null)
        {
            Skip = "needs Graphviz's dot on PATH (apt-get install graphviz)";
        }
    }
}
