namespace PolicyGen.Review;

/// <summary>An allowed connection from one node to another, labelled with its ports.</summary>
public sealed record GraphEdge(string From, string To, string Ports);
