namespace PolicyGen.Verify;

/// <summary>
/// A flow where the intent and the policies disagree, by witness positions.
/// <paramref name="IntendedByEgress"/> is whether the source's own side (egress) allows it, which
/// tells the origin finder which half of the intent to blame.
/// </summary>
internal readonly record struct DifferingFlow(int From, int To, bool Intended, bool IntendedByEgress, bool Actual);
