using System.Buffers.Text;
using System.Text;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Compacted raw days (<c>{day}.parquet</c>, written by <see cref="Compaction.ParquetDay"/>), streamed chunk by
/// chunk through DuckDB in file order. Every column is read and checked, so a damaged column cannot pass: the
/// row must be valid by the rule a JSONL line must meet (<see cref="RawTradeRules"/>: required fields present,
/// plausible ts and recvTs, px/sz/qtyBase positive exact decimals, side buy or sell, numeric tradeId), and each typed
/// companion (pxDecimal, szDecimal, ctValDecimal, ctMultDecimal, qtyBaseDecimal, which the <c>trades</c> view
/// reads) must hold the same value as its text column wherever that text fits the companion's DECIMAL(38,s)
/// (s = 10 since 2026-11-30, 18 before), and be NULL where it does not. Nothing is
/// allocated per valid row in <see cref="Read"/>. A problem's offset is the row number. A file DuckDB cannot
/// read (truncated, corrupt, a required column missing) is one unreadable-file problem, never a crash.
/// </summary>
public sealed class ParquetRawDayReader : IRawDayReader
{
    private const int Exchange = 0, InstId = 1, TradeId = 2, Ts = 3, Px = 4, Sz = 5, Side = 6, CtVal = 7, CtMult = 8, CtType = 9,
        CtValCcy = 10, QtyBase = 11, RecvTs = 12, Src = 13, Count = 14, FirstId = 15, LastId = 16, FirstCompanion = 17;

    /// <summary>The raw columns in select order; the first 14 are required.</summary>
    private static readonly string[] Columns =
    [
        "exchange", "instId", "tradeId", "ts", "px", "sz", "side", "ctVal", "ctMult", "ctType", "ctValCcy", "qtyBase",
        "recvTs", "src", "count", "firstId", "lastId",
    ];

    /// <summary>Text columns that have a typed companion, in select order after the raw columns.</summary>
    private static readonly int[] CompanionOf = [Px, Sz, CtVal, CtMult, QtyBase];

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["autoinstall_known_extensions"] = "false",
        ["autoload_known_extensions"] = "false",
    };

    public bool CanRead(string path) => path.EndsWith(".parquet", StringComparison.Ordinal);

    public void Read(string path, Action<VerifyRow> onRow, Action<VerifyProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        var exchange = new CachedText();
        var instId = new CachedText();
        Scan(path, onProblem, (reader, id, _) =>
        {
            var count = reader.IsNull(Count) ? 0 : reader.GetInt64(Count);
            onRow(new VerifyRow(id, reader.GetInt64(Ts), (int)Math.Clamp(count, 0, int.MaxValue),
                exchange.Get(reader.GetUtf8(Exchange)), instId.Get(reader.GetUtf8(InstId))));
        });
    }

    /// <summary>Every valid row as a full <see cref="RawTrade"/> with its row number (for the truth comparison); invalid rows are skipped.</summary>
    public static void ReadTrades(string path, Action<RawTrade, long> onTrade, Action<VerifyProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onTrade);
        Scan(path, onProblem, (reader, _, row) => onTrade(new RawTrade
        {
            Exchange = reader.GetString(Exchange), InstId = reader.GetString(InstId), TradeId = reader.GetString(TradeId),
            Ts = reader.GetInt64(Ts), Px = reader.GetString(Px), Sz = reader.GetString(Sz), Side = reader.GetString(Side),
            CtVal = reader.GetString(CtVal), CtMult = reader.GetString(CtMult), CtType = reader.GetString(CtType),
            CtValCcy = reader.GetString(CtValCcy), QtyBase = reader.GetString(QtyBase), RecvTs = reader.GetInt64(RecvTs),
            Src = reader.GetString(Src),
            Count = reader.IsNull(Count) ? null : (int)Math.Clamp(reader.GetInt64(Count), int.MinValue, int.MaxValue),
            FirstId = reader.IsNull(FirstId) ? null : reader.GetInt64(FirstId),
            LastId = reader.IsNull(LastId) ? null : reader.GetInt64(LastId),
        }, row));
    }

    private static void Scan(string path, Action<VerifyProblem> onProblem, Action<DuckDbScan, long, long> onValid)
    {
        ArgumentNullException.ThrowIfNull(onProblem);
        long row = 0;
        try
        {
            using var connection = DuckDbConnection.OpenInMemory(Settings);
            var source = $"read_parquet({VaultViews.Literal(path)})";
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var describe = connection.Query($"DESCRIBE SELECT * FROM {source}"))
            {
                while (describe.Read())
                {
                    types[describe.GetString(0)] = describe.GetString(1);
                }
            }

            if (Columns.Take(Src + 1).FirstOrDefault(c => !types.ContainsKey(c)) is { } absent)
            {
                onProblem(new VerifyProblem(false, 0, $"unreadable Parquet: required column {absent} is missing") { Unreadable = true });
                return;
            }

            // The companion's scale, or -1 when the file has none (compacted before companions existed).
            var companionScale = CompanionOf.Select(i => types.TryGetValue(Columns[i] + VaultViews.CompanionSuffix, out var type) ? ScaleOf(type) : -1).ToArray();
            using var reader = connection.Scan($"SELECT {SelectList(types)} FROM {source}");
            for (; reader.Read(); row++)
            {
                if (Invalid(reader, companionScale) is { } reason)
                {
                    onProblem(new VerifyProblem(false, row, reason));
                    continue;
                }

                onValid(reader, ParseId(reader.GetUtf8(TradeId)), row);
            }
        }
        catch (DuckDbException ex)
        {
            onProblem(new VerifyProblem(false, row, "unreadable Parquet: " + ex.Message.Split('\n', 2)[0]) { Unreadable = true });
        }
    }

    /// <summary>Each column cast to the type the checks read (older files may store times as TIMESTAMPTZ); absent optional columns are NULL.</summary>
    private static string SelectList(Dictionary<string, string> types)
    {
        var items = new List<string>();
        foreach (var name in Columns)
        {
            var q = VaultViews.Quote(name);
            items.Add(!types.TryGetValue(name, out var type) ? "NULL::BIGINT"
                : name is "ts" or "recvTs" && type.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? $"epoch_ms({q})"
                : name is "ts" or "recvTs" or "count" or "firstId" or "lastId" ? $"TRY_CAST({q} AS BIGINT)"
                : type == "VARCHAR" ? q : $"TRY_CAST({q} AS VARCHAR)");
        }

        foreach (var i in CompanionOf)
        {
            var name = Columns[i] + VaultViews.CompanionSuffix;
            items.Add(types.ContainsKey(name) ? $"TRY_CAST({VaultViews.Quote(name)} AS VARCHAR)" : "NULL::VARCHAR");
        }

        return string.Join(", ", items);
    }

    /// <summary>Why the current row is not a valid raw trade, or null. Allocates only for an invalid row.</summary>
    private static string? Invalid(DuckDbScan reader, int[] companionScale)
    {
        for (var i = 0; i <= Src; i++)
        {
            if (reader.IsNull(i) || (i is not (Ts or RecvTs) && reader.GetUtf8(i).IsEmpty))
            {
                return $"missing or invalid {Columns[i]}";
            }
        }

        // The same value rules as a JSONL line (RawTradeRules), so a day's verdict does not depend on its form.
        if (!RawTradeRules.TryTradeId(reader.GetUtf8(TradeId), out _))
        {
            return RawTradeRules.Describe(RawLineError.BadTradeId);
        }

        if (!RawTradeRules.IsPlausibleTs(reader.GetInt64(Ts)))
        {
            return RawTradeRules.Describe(RawLineError.BadTs);
        }

        if (reader.GetInt64(RecvTs) is < 0 or >= RawTradeRules.MaxTs)
        {
            return RawTradeRules.Describe(RawLineError.BadRecvTs);
        }

        if (!RawTradeRules.TryAmount(reader.GetUtf8(Px), out _))
        {
            return RawTradeRules.Describe(RawLineError.BadPx);
        }

        if (!RawTradeRules.TryAmount(reader.GetUtf8(Sz), out _))
        {
            return RawTradeRules.Describe(RawLineError.BadSz);
        }

        if (!RawTradeRules.TryAmount(reader.GetUtf8(QtyBase), out _))
        {
            return RawTradeRules.Describe(RawLineError.BadQtyBase);
        }

        var side = reader.GetUtf8(Side);
        if (!side.SequenceEqual("buy"u8) && !side.SequenceEqual("sell"u8))
        {
            return "side must be buy or sell";
        }

        for (var k = 0; k < CompanionOf.Length; k++)
        {
            var text = reader.GetUtf8(CompanionOf[k]);
            var column = FirstCompanion + k;
            if (companionScale[k] < 0)
            {
                continue;
            }

            // The first companions (scale 18) were cast with rounding past the scale, so only a fitting value is checked.
            var fits = Fits(text, companionScale[k]);
            if (fits ? reader.IsNull(column) || !SameValue(text, reader.GetUtf8(column)) : companionScale[k] != 18 && !reader.IsNull(column))
            {
                var name = Columns[CompanionOf[k]];
                var companion = reader.IsNull(column) ? "null" : Encoding.UTF8.GetString(reader.GetUtf8(column));
                return $"{name}{VaultViews.CompanionSuffix} {companion} differs from {name} {Encoding.UTF8.GetString(text)}";
            }
        }

        return null;
    }

    private static long ParseId(ReadOnlySpan<byte> text)
    {
        // Checked by Invalid before; a failure here is a bug, not bad data.
        return Utf8Parser.TryParse(text, out long id, out _) ? id : throw new InvalidOperationException("tradeId was checked numeric");
    }

    /// <summary>Plain decimal text that DECIMAL(38,<paramref name="scale"/>) holds exactly (trailing zeros aside).</summary>
    private static bool Fits(ReadOnlySpan<byte> text, int scale)
    {
        if (!ExactDecimal.IsPlain(text))
        {
            return false;
        }

        Split(text, out _, out var whole, out var fraction);
        return whole.Length <= 38 - scale && fraction.Length <= scale;
    }

    /// <summary>The scale of a DECIMAL(p,s) type name; -1 for any other type (not a companion the check knows).</summary>
    private static int ScaleOf(string type) =>
        type.StartsWith("DECIMAL(", StringComparison.Ordinal) && type.EndsWith(')') && type.IndexOf(',', StringComparison.Ordinal) is > 0 and var comma &&
        int.TryParse(type.AsSpan(comma + 1, type.Length - comma - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s)
            ? s
            : -1;

    /// <summary>Same number: sign, integer digits without leading zeros and fraction without trailing zeros equal.</summary>
    private static bool SameValue(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Split(a, out var negativeA, out var wholeA, out var fractionA);
        Split(b, out var negativeB, out var wholeB, out var fractionB);
        var zero = wholeA.IsEmpty && fractionA.IsEmpty;
        return wholeA.SequenceEqual(wholeB) && fractionA.SequenceEqual(fractionB) && (zero || negativeA == negativeB);
    }

    private static void Split(ReadOnlySpan<byte> text, out bool negative, out ReadOnlySpan<byte> whole, out ReadOnlySpan<byte> fraction)
    {
        negative = !text.IsEmpty && text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        var point = text.IndexOf((byte)'.');
        whole = (point < 0 ? text : text[..point]).TrimStart((byte)'0');
        fraction = point < 0 ? [] : text[(point + 1)..].TrimEnd((byte)'0');
    }

    /// <summary>The last decoded string, reused while the bytes stay the same (a day file holds one instrument).</summary>
    private sealed class CachedText
    {
        private byte[] _bytes = [];
        private string _text = "";

        public string Get(ReadOnlySpan<byte> bytes)
        {
            if (!bytes.SequenceEqual(_bytes))
            {
                _bytes = bytes.ToArray();
                _text = Encoding.UTF8.GetString(bytes);
            }

            return _text;
        }
    }
}
