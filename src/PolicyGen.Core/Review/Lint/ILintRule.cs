namespace PolicyGen.Review.Lint;

/// <summary>One check a reviewer would make; each rule lives in its own file under Rules/.</summary>
public interface ILintRule
{
    IEnumerable<LintFinding> Check(LintContext context);
}
