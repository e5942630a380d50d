namespace PolicyGen.Evaluation;

/// <summary>
/// One distinct list of applicable policies as the matrix rows use it: its rules, each distinct
/// rule (same peers, same ports) once, and per probe class (slot) the bitmask of those rules whose
/// numeric entries allow it. Identities isolated by the same policies share this, and the rows
/// already worked out per mask, even when their own named ports (S7.4) keep their rows apart.
/// </summary>
internal sealed class ApplicableRules(CompiledRule[] rules, bool byMask, ulong[] numericMasks, int[] namedRules, bool usesNames)
{
    public CompiledRule[] Rules { get; } = rules;

    /// <summary>Whether rows come from bitmasks of rules (at most 64 rules and no egress named port), else from lists of sets.</summary>
    public bool ByMask { get; } = byMask;

    /// <summary>Per slot, the rules (bit r for <see cref="Rules"/>[r]) whose numeric entries allow it; kept only when <see cref="ByMask"/> and <see cref="UsesNames"/>, else empty.</summary>
    public ulong[] NumericMasks { get; } = numericMasks;

    /// <summary>The positions in <see cref="Rules"/> of rules with named entries.</summary>
    public int[] NamedRules { get; } = namedRules;

    /// <summary>Whether any rule names a port, so that (for ingress) each identity's own ports decide its rows.</summary>
    public bool UsesNames { get; } = usesNames;

    /// <summary>
    /// The row of each mask of rules seen so far (rows are sets of identities, so any identity may
    /// reuse them); made on first use, since only lists whose identities get rows of their own
    /// (<see cref="UsesNames"/>) come back to it.
    /// </summary>
    public Dictionary<ulong, int> RowOfMask => rowOfMask ??= [];

    private Dictionary<ulong, int>? rowOfMask;
}
