namespace PolicyGen.Model;

/// <summary>A container port; named ones are what named NetworkPolicy ports resolve to (S7.4).</summary>
public sealed record ContainerPort(string? Name, int Port, Protocol Protocol);
