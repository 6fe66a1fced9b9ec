using System.Text;
using Pipeline.Calculators.Raw;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Micro;

/// <summary>
/// One raw day file of the microstructure stage read as events: the next parsed line is held (peeked) so the stage can
/// merge the three files by event time; <see cref="Offset"/> is where the next unconsumed line starts: a byte offset in
/// a JSONL day, a row number in a Parquet day (its compaction, read through DuckDB in file row order: the same records
/// in the same order, so the same events; a quote or book row comes back as the JSON line it was compacted from and is
/// parsed as that line, a trade row as the bars stage reads it).
/// </summary>
internal sealed class MicroSource : IDisposable
{
    private readonly JsonlReader? _reader;
    private readonly DuckDbConnection? _db;
    private readonly DuckDbScan? _rows;
    private readonly byte[] _exchange;
    private readonly byte[] _instId;
    private readonly Action<string, long, string> _bad;

    /// <param name="parquet">True: <paramref name="path"/> is a Parquet day and <paramref name="offset"/> a row number.</param>
    public MicroSource(MicroEventKind kind, string path, long offset, bool parquet, string exchange, string instId, Action<string, long, string> bad)
    {
        Kind = kind;
        Path = path;
        Offset = offset;
        _exchange = Encoding.UTF8.GetBytes(exchange);
        _instId = Encoding.UTF8.GetBytes(instId);
        _bad = bad;
        if (!File.Exists(path))
        {
            return;
        }

        if (parquet)
        {
            _db = DuckDbConnection.OpenInMemory();
            try
            {
                _rows = kind == MicroEventKind.Trade
                    ? _db.Scan("SELECT file_row_number, ts, px, qtyBase, side, tradeId, exchange, instId FROM read_parquet(?, file_row_number = true) " +
                        "WHERE file_row_number >= ? ORDER BY file_row_number", path, offset)
                    : _db.Scan(MicroDayFiles.ParquetLinesSql(path, kind == MicroEventKind.Quote ? MicroKind.Quotes : MicroKind.Book, offset));
            }
            catch
            {
                _db.Dispose();
                throw;
            }
        }
        else
        {
            _reader = JsonlReader.Open(path, offset, bufferSize: 256 * 1024);
        }

        Advance();
    }

    public MicroEventKind Kind { get; }

    public string Path { get; }

    /// <summary>Start of the held line (or the end of what was read when none is held).</summary>
    public long Offset { get; private set; }

    public bool HasNext { get; private set; }

    public long Ts { get; private set; }

    public QuoteRecord? Quote { get; private set; }

    public BookRecord? Book { get; private set; }

    public decimal BidPx { get; private set; }

    public decimal BidSz { get; private set; }

    public decimal AskPx { get; private set; }

    public decimal AskSz { get; private set; }

    public decimal TradePx { get; private set; }

    public decimal TradeQty { get; private set; }

    public long TradeId { get; private set; }

    /// <summary>Consumes the held line and reads the next one.</summary>
    public void Advance()
    {
        HasNext = false;
        if (_rows is not null)
        {
            AdvanceRow(_rows);
            return;
        }

        if (_reader is null)
        {
            return;
        }

        while (_reader.TryReadLine(out var line, out var lineOffset))
        {
            if (TryParse(line, lineOffset))
            {
                Offset = lineOffset;
                HasNext = true;
                return;
            }
        }

        Offset = _reader.Offset;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _rows?.Dispose();
        _db?.Dispose();
    }

    private void AdvanceRow(DuckDbScan rows)
    {
        while (rows.Read())
        {
            var ok = Kind == MicroEventKind.Trade ? TryTradeRow(rows) : TryParse(rows.GetUtf8(0), rows.GetInt64(1));
            Offset = rows.GetInt64(Kind == MicroEventKind.Trade ? 0 : 1) + 1;
            if (ok)
            {
                Offset--;
                HasNext = true;
                return;
            }
        }
    }

    /// <summary>A compacted trade row, checked as the bars stage checks it (<c>RawToBarsStage.ReadParquet</c>).</summary>
    private bool TryTradeRow(DuckDbScan rows)
    {
        var row = rows.GetInt64(0);
        if (rows.IsNull(1) || rows.IsNull(2) || rows.IsNull(3) || rows.IsNull(4) || rows.IsNull(5) || rows.IsNull(6) || rows.IsNull(7)
            || !RawTradeRules.TryAmount(rows.GetUtf8(2), out var px)
            || !RawTradeRules.TryAmount(rows.GetUtf8(3), out var qty)
            || !RawTradeRules.TryTradeId(rows.GetUtf8(5), out var id))
        {
            _bad(Path, row, "a null or invalid field (px, qtyBase or tradeId)");
            return false;
        }

        if (!rows.GetUtf8(6).SequenceEqual(_exchange) || !rows.GetUtf8(7).SequenceEqual(_instId))
        {
            _bad(Path, row, RawTradeRules.Describe(RawLineError.ForeignInstId));
            return false;
        }

        var side = rows.GetUtf8(4);
        if (!side.SequenceEqual("buy"u8) && !side.SequenceEqual("sell"u8))
        {
            _bad(Path, row, "side is neither buy nor sell");
            return false;
        }

        Ts = rows.GetInt64(1);
        TradePx = px;
        TradeQty = qty;
        TradeId = id;
        return true;
    }

    private bool TryParse(ReadOnlySpan<byte> line, long lineOffset)
    {
        string? error;
        switch (Kind)
        {
            case MicroEventKind.Trade:
                var scan = RawLineScanner.Scan(line, _exchange, _instId, out var f);
                if (scan != RawLineError.None)
                {
                    _bad(Path, lineOffset, RawTradeRules.Describe(scan));
                    return false;
                }

                Ts = f.Ts;
                TradePx = f.Px;
                TradeQty = f.QtyBase;
                TradeId = f.TradeIdNumber;
                return true;
            case MicroEventKind.Quote:
                Quote = MicroLineReader.Quote(Encoding.UTF8.GetString(line), out error);
                if (Quote is null || !Mine(Quote.Exchange, Quote.InstId, ref error))
                {
                    _bad(Path, lineOffset, error!);
                    return false;
                }

                if (!TryDecimal(Quote.BidPx, out var bidPx) || !TryDecimal(Quote.BidSz, out var bidSz)
                    || !TryDecimal(Quote.AskPx, out var askPx) || !TryDecimal(Quote.AskSz, out var askSz))
                {
                    _bad(Path, lineOffset, "a price or size is not a plain decimal");
                    return false;
                }

                (BidPx, BidSz, AskPx, AskSz) = (bidPx, bidSz, askPx, askSz);
                Ts = Quote.Ts;
                return true;
            default:
                Book = MicroLineReader.Book(Encoding.UTF8.GetString(line), out error);
                if (Book is null || !Mine(Book.Exchange, Book.InstId, ref error))
                {
                    _bad(Path, lineOffset, error!);
                    return false;
                }

                Ts = Book.Ts;
                return true;
        }
    }

    private static bool TryDecimal(string text, out decimal value) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out value);

    private bool Mine(string exchange, string instId, ref string? error)
    {
        if (Encoding.UTF8.GetBytes(exchange).AsSpan().SequenceEqual(_exchange) && Encoding.UTF8.GetBytes(instId).AsSpan().SequenceEqual(_instId))
        {
            return true;
        }

        error = $"a line of {exchange}/{instId}";
        return false;
    }
}

/// <summary>The merge order of events with the same timestamp: the book first, then quotes, then trades.</summary>
internal enum MicroEventKind
{
    Book = 0,
    Quote = 1,
    Trade = 2,
}
