using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Model;

/// <summary>A networking.k8s.io/v1 NetworkPolicy, kept close to how it was written.</summary>
public sealed record NetworkPolicy
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }

    /// <summary>metadata.labels as written (validated by S14.10; the evaluator does not read them).</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = Model.Labels.Empty;

    /// <summary>metadata.annotations as written (validated by S14.10).</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = Model.Labels.Empty;

    /// <summary>Absent in the manifest reads as <c>{}</c>: every pod of the namespace (S2.3).</summary>
    public LabelSelector PodSelector { get; init; } = LabelSelector.Everything;

    /// <summary>Null when the field is absent; kept raw for validation (S14.9).</summary>
    public ImmutableArray<string>? PolicyTypes { get; init; }

    public ImmutableArray<PolicyRule> Ingress { get; init; } = [];
    public ImmutableArray<PolicyRule> Egress { get; init; } = [];

    public SourceLocation? Location { get; init; }

    /// <summary>Where each field was written, keyed by its path (<c>spec.ingress[0].from[1].ipBlock.cidr</c>).</summary>
    public ImmutableDictionary<string, SourceLocation> FieldLocations { get; init; } =
        ImmutableDictionary<string, SourceLocation>.Empty;

    public string Id => $"{Namespace}/{Name}";

    /// <summary>The <see cref="FieldLocations"/> key of a metadata map's key (<c>metadata.labels[app]</c>).</summary>
    public static string MetadataKeyPath(string map, string key) => $"metadata.{map}[{key}]";

    /// <summary>The <see cref="FieldLocations"/> key of a metadata map's value (<c>metadata.labels[app]=</c>).</summary>
    public static string MetadataValuePath(string map, string key) => $"metadata.{map}[{key}]=";

    /// <summary>
    /// S3: policyTypes as the API server stores it. A present, non-empty list is used as written;
    /// absent or [] defaults to Ingress, plus Egress when there is at least one egress rule.
    /// </summary>
    public bool AppliesTo(PolicyDirection direction)
    {
        if (PolicyTypes is { Length: > 0 } types)
        {
            return types.Contains(direction.ToString());
        }

        return direction == PolicyDirection.Ingress || Egress.Length > 0;
    }

    public ImmutableArray<PolicyRule> Rules(PolicyDirection direction)
        => direction == PolicyDirection.Ingress ? Ingress : Egress;

    /// <summary>The location of a field, or of its nearest written ancestor, or of the object.</summary>
    public SourceLocation? LocationOf(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (FieldLocations.TryGetValue(p, out var location))
            {
                return location;
            }
        }

        return Location;

        static string Parent(string p)
        {
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            return cut <= 0 ? "" : p[..cut];
        }
    }
}
