namespace PolicyGen.Cli.Tests.Review;

/// <summary>A fact that renders with Graphviz's dot: reported as skipped when dot is not installed (.ci/run installs it), never passed silently.</summary>
public sealed class GraphvizFactAttribute : FactAttribute
{
    public GraphvizFactAttribute()
    {
        if (Graphviz.DotPath is null)
        {
            Skip = "needs Graphviz's dot on PATH (apt-get install graphviz)";
        }
    }
}
