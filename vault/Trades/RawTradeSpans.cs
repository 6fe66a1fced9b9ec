namespace Pipeline.Vault.Trades;

/// <summary>
/// The fields of one raw trade line as read by <see cref="RawTradeRules.Read"/>: text as spans into the
/// line (into a copy only when the JSON escaped it), and the numbers the rules parsed on the way.
/// </summary>
public ref struct RawTradeSpans
{
    public ReadOnlySpan<byte> Exchange { get; set; }
    public ReadOnlySpan<byte> InstId { get; set; }
    public ReadOnlySpan<byte> TradeIdText { get; set; }
    public ReadOnlySpan<byte> PxText { get; set; }
    public ReadOnlySpan<byte> SzText { get; set; }
    public ReadOnlySpan<byte> Side { get; set; }
    public ReadOnlySpan<byte> CtVal { get; set; }
    public ReadOnlySpan<byte> CtMult { get; set; }
    public ReadOnlySpan<byte> CtType { get; set; }
    public ReadOnlySpan<byte> CtValCcy { get; set; }
    public ReadOnlySpan<byte> QtyBaseText { get; set; }
    public ReadOnlySpan<byte> Src { get; set; }
    public long TradeId { get; set; }
    public long Ts { get; set; }
    public long RecvTs { get; set; }
    public decimal Px { get; set; }
    public decimal QtyBase { get; set; }
    public bool IsBuy { get; set; }

    /// <summary>Optional keys: meaningful only when <see cref="HasCount"/>, <see cref="HasFirstId"/>, <see cref="HasLastId"/>.</summary>
    public long Count { get; set; }

    public long FirstId { get; set; }
    public long LastId { get; set; }
    public readonly bool HasCount => (Keys & RawTradeRules.CountBit) != 0;
    public readonly bool HasFirstId => (Keys & RawTradeRules.FirstIdBit) != 0;
    public readonly bool HasLastId => (Keys & RawTradeRules.LastIdBit) != 0;

    /// <summary>Bit mask of the keys seen (<see cref="RawTradeRules"/>' *Bit constants).</summary>
    public int Keys { get; set; }
}
