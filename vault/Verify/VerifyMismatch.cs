namespace Pipeline.Vault.Verify;

/// <summary>
/// One field of a vault trade that differs from the ground truth: the file and line offset (byte offset in
/// JSONL, row number in Parquet), the trade id, the field, and the truth's and the vault's values
/// (<c>(absent)</c> for an optional field one side lacks).
/// </summary>
public sealed record VerifyMismatch(string File, long Offset, string TradeId, string Field, string Expected, string Actual)
{
    public override string ToString() => $"{File}@{Offset}: trade {TradeId} {Field} expected {Expected} actual {Actual}";
}
