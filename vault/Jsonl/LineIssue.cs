namespace Pipeline.Vault.Jsonl;

/// <summary>A line that could not be used, with where it is and why.</summary>
public sealed record LineIssue(string File, long Offset, string Reason)
{
    public override string ToString() => $"{File}@{Offset}: {Reason}";
}
