using PolicyGen.Compile;

namespace PolicyGen.Pipeline;

/// <summary>A generated cluster-scoped policy (<c>spec.cluster</c>): its plan and the YAML its template rendered, read back and checked.</summary>
public sealed record GeneratedClusterPolicy(ClusterPolicyPlan Plan, string Yaml, string TemplatePath);
