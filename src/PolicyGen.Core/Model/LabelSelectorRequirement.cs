using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>One <c>matchExpressions</c> entry. The operator is kept as written so validation can reject it (S14.8).</summary>
public sealed record LabelSelectorRequirement(string Key, string Operator, ImmutableArray<string> Values);
