namespace PolicyGen.Model;

/// <summary>A <c>pods</c> subject or peer: pods matching <see cref="PodSelector"/> in namespaces matching <see cref="NamespaceSelector"/> (both required, <c>{}</c> is everything).</summary>
public sealed record NamespacedPods(LabelSelector NamespaceSelector, LabelSelector PodSelector);
