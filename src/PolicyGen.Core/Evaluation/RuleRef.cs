namespace PolicyGen.Evaluation;

/// <summary>A rule that allowed a connection: policy <c>namespace/name</c> and the rule's index in its direction's list.</summary>
public sealed record RuleRef(string Policy, int Rule);
