using System.Text;

namespace Pipeline.Vault.Trades;

/// <summary>
/// Parses raw trade lines under <see cref="RawTradeRules"/> (the one definition of a valid line). Low-cardinality values (exchange,
/// instId, side, contract fields, src) are reused from the previous line when their bytes match,
/// so a line allocates only the record and its tradeId, px, sz and qtyBase strings.
/// Not thread-safe: one parser per reading loop.
/// </summary>
public sealed class RawTradeParser
{
    private readonly CachedString _exchange = new();
    private readonly CachedString _instId = new();
    private readonly CachedString _ctVal = new();
    private readonly CachedString _ctMult = new();
    private readonly CachedString _ctType = new();
    private readonly CachedString _ctValCcy = new();
    private readonly CachedString _src = new();

    /// <summary>Parses one line (with or without its '\n'); on failure <paramref name="error"/> says why.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out RawTrade? trade, out string? error) =>
        TryParse(line, default, default, out trade, out error, out _);

    /// <summary>
    /// Parses one line under <see cref="RawTradeRules"/>; with <paramref name="exchange"/> and
    /// <paramref name="instId"/> (the file's) a line of another instrument is refused as foreign.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> line, ReadOnlySpan<byte> exchange, ReadOnlySpan<byte> instId,
        out RawTrade? trade, out string? error, out RawLineError code)
    {
        trade = null;
        code = RawTradeRules.Read(line, exchange, instId, out var t);
        if (code != RawLineError.None)
        {
            error = RawTradeRules.Describe(code);
            return false;
        }

        error = null;
        trade = new RawTrade
        {
            Exchange = _exchange.Get(t.Exchange), InstId = _instId.Get(t.InstId), TradeId = Encoding.UTF8.GetString(t.TradeIdText),
            Ts = t.Ts, Px = Encoding.UTF8.GetString(t.PxText), Sz = Encoding.UTF8.GetString(t.SzText), Side = t.IsBuy ? "buy" : "sell",
            CtVal = _ctVal.Get(t.CtVal), CtMult = _ctMult.Get(t.CtMult), CtType = _ctType.Get(t.CtType),
            CtValCcy = _ctValCcy.Get(t.CtValCcy), QtyBase = Encoding.UTF8.GetString(t.QtyBaseText), RecvTs = t.RecvTs,
            Src = _src.Get(t.Src), Count = t.HasCount ? (int)t.Count : null, FirstId = t.HasFirstId ? t.FirstId : null,
            LastId = t.HasLastId ? t.LastId : null,
        };
        return true;
    }

    public RawTrade Parse(string line)
    {
        return TryParse(Encoding.UTF8.GetBytes(line), out var trade, out var error)
            ? trade!
            : throw new FormatException(error);
    }

    /// <summary>Remembers the last string of one field and its UTF-8 bytes.</summary>
    private sealed class CachedString
    {
        private byte[] _bytes = [];
        private string? _value;

        public string Get(ReadOnlySpan<byte> span)
        {
            if (_value is not null && span.SequenceEqual(_bytes))
            {
                return _value;
            }

            _bytes = span.ToArray();
            _value = Encoding.UTF8.GetString(span);
            return _value;
        }
    }
}
