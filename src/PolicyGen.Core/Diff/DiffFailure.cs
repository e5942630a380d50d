namespace PolicyGen.Diff;

/// <summary>Why a side could not be loaded: the input is wrong (exit 2), or the repository could not give it (exit 4).</summary>
public enum DiffFailure
{
    None,
    BadInput,
    Git,
}
