namespace PolicyGen.Compile;

/// <summary>
/// Where a policy's text came from when its shape's trusted frame was filled instead of running
/// Scriban: the frame, the plan's values and where each of the frame's parts outside quoted runs
/// starts in the text (<see cref="RenderFrame.Fill(Func{int, bool, string?}, int[], bool)"/>), so
/// the build can read the text back from the frame's own reading instead of parsing it.
/// </summary>
internal sealed record FrameFill(RenderFrame Frame, IReadOnlyList<string> Values, int[] Starts);
