using System.Globalization;
using Pipeline.Jobs.Execution;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest.Csv;

/// <summary>
/// Reads 1-minute OHLCV or tick CSV files and writes them as raw trade days into a scratch vault, so a
/// backtest over them runs the very code of a vault backtest. The files are not imported into the user's
/// vault: they carry no trade ids, taker sides or contract facts, and must never mix with recorded trades.
/// <list type="bullet">
/// <item>Header optional: <c>timestamp,open,high,low,close,volume</c> or <c>timestamp,price,size</c>
/// (any case); without one, 6 columns are bars and 3 are ticks. Blank lines are skipped; fields may be quoted.</item>
/// <item>Rows in time order across the files as given (bars strictly increasing, ticks non-decreasing);
/// a bar's timestamp is its minute's start.</item>
/// <item>Any bad line refuses the whole import (<see cref="CsvImportException"/>, the first 20 listed with
/// file and line): a backtest over silently missing rows would be wrong without saying so.</item>
/// <item>Ticks: one raw trade each, taker side by the tick rule (uptick buy, downtick sell, unchanged: the
/// previous side). Bars: four trades each (open at :00, low and high at :15 and :30 — low first on an up bar
/// —, close at :45), a quarter of the volume each, all on the bar's side (close ≥ open: buy).</item>
/// </list>
/// Sizes and volumes are in the base currency (BTC for BTC-USDT-SWAP).
/// </summary>
public static class CsvMarketImporter
{
    public const int MaxListedIssues = 20;

    private static readonly string[] BarColumns = ["timestamp", "open", "high", "low", "close", "volume"];
    private static readonly string[] TickColumns = ["timestamp", "price", "size"];

    public static CsvImport Import(IReadOnlyList<string> files, string exchange, string instId, string scratchDir,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("no CSV file given", nameof(files));
        }

        exchange = VaultNames.Exchange(exchange);
        instId = VaultNames.InstId(instId);
        var contract = Contract(instId);
        var vault = new VaultLayout(scratchDir);
        var state = new ImportState(vault, exchange, instId, contract.Inverse ? contract.PnlCcy : contract.CtValCcy);
        try
        {
            foreach (var file in files)
            {
                ReadFile(file, state, token);
            }
        }
        finally
        {
            state.Close();
        }

        if (state.IssueCount > 0)
        {
            throw new CsvImportException(state.Issues, state.IssueCount);
        }

        if (state.Rows == 0 || state.FirstTs is not { } first)
        {
            throw new CsvImportException($"{string.Join(", ", files)}: no data rows");
        }

        return new CsvImport
        {
            Vault = vault, Kind = state.Kind!.Value, FirstDay = TradeTime.Day(first), LastDay = TradeTime.Day(state.LastTs),
            Rows = state.Rows, Trades = state.TradeSeq, Contract = contract, Notes = Notes(state.Kind!.Value, contract),
        };
    }

    /// <summary>What a backtest over <paramref name="kind"/> computes exactly and what it approximates.</summary>
    public static IReadOnlyList<string> Notes(CsvKind kind, ContractTerms contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var valuation = contract.Inverse
            ? $"valued as an inverse contract (quote USD): PnL and fees in {contract.PnlCcy}"
            : $"valued as a linear contract: PnL and fees in {contract.PnlCcy}";
        return kind == CsvKind.Ticks
            ?
            [
                "input: tick CSV, one trade per row; VWAP, bands, ADX and the 5-second move halt are exact, as from the vault",
                "taker side: not in the file, inferred by the tick rule (uptick buy, downtick sell); only CVD uses it, and the strategy does not",
                valuation,
            ]
            :
            [
                "input: 1-minute bars, replayed as four trades per bar (open :00, low/high :15/:30 — low first on an up bar —, close :45, a quarter of the volume each)",
                "exact: bar open/high/low/close and volume, ADX; fills use the bar's high and low (a stop and a take-profit in one bar: the stop wins, as for ticks)",
                "approximated: VWAP = Σ(ohlc4 × volume) / Σ volume and sigma from those four prices (trade-level VWAP and intrabar dispersion are not in bars)",
                "approximated: CVD by the bar's close-vs-open sign (the whole volume counts as buys on an up bar, sells on a down bar); the strategy does not use CVD",
                "not computable: the 5-second move halt (maxMove5sBps is 0 with trades 15 s apart), so the halt never triggers",
                valuation,
            ];
    }

    /// <summary>Linear unless the quote currency is USD (OKX BTC-USD-SWAP, Binance BTCUSD_PERP): those swaps are inverse.</summary>
    public static ContractTerms Contract(string instId)
    {
        var linear = ContractTerms.Linear(instId);
        return linear.PnlCcy == "USD" ? new ContractTerms(true, 1m, 1m, "USD", "USD", linear.CtValCcy) : linear;
    }

    private static void ReadFile(string path, ImportState state, CancellationToken token)
    {
        var name = path;
        if (!File.Exists(path))
        {
            state.Issue(name, 0, "file not found");
            return;
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        long lineNo = 0;
        var headerSeen = false;
        CsvKind? fileKind = null;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if ((lineNo & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = Split(line);
            if (!headerSeen)
            {
                headerSeen = true;
                if (!CsvTimestamp.TryParse(fields[0], out _, out _) && fields[0].Any(char.IsLetter))
                {
                    var names = fields.Select(f => f.ToLowerInvariant()).ToArray();
                    fileKind = names.SequenceEqual(BarColumns) ? CsvKind.Bars : names.SequenceEqual(TickColumns) ? CsvKind.Ticks : null;
                    if (fileKind is null)
                    {
                        state.Issue(name, lineNo, $"header '{line}' is neither '{string.Join(',', BarColumns)}' nor '{string.Join(',', TickColumns)}'");
                        return;
                    }

                    if (!state.SetKind(fileKind.Value, name, lineNo))
                    {
                        return;
                    }

                    continue;
                }
            }

            if (fileKind is null)
            {
                fileKind = fields.Length switch { 6 => CsvKind.Bars, 3 => CsvKind.Ticks, _ => null };
                if (fileKind is null)
                {
                    state.Issue(name, lineNo, $"{fields.Length} columns: expected 6 (timestamp,open,high,low,close,volume) or 3 (timestamp,price,size)");
                    return;
                }

                if (!state.SetKind(fileKind.Value, name, lineNo))
                {
                    return;
                }
            }

            var error = fileKind == CsvKind.Bars ? Bar(fields, state) : Tick(fields, state);
            if (error is not null)
            {
                state.Issue(name, lineNo, error);
            }
        }
    }

    private static string? Bar(string[] f, ImportState state)
    {
        if (f.Length != 6)
        {
            return $"{f.Length} columns, expected 6 (timestamp,open,high,low,close,volume)";
        }

        if (!CsvTimestamp.TryParse(f[0], out var ts, out var tsError))
        {
            return tsError;
        }

        if (Numbers(f, BarColumns, out var n) is { } numberError)
        {
            return numberError;
        }

        var (open, high, low, close, volume) = (n[1], n[2], n[3], n[4], n[5]);

        if (open <= 0 || high <= 0 || low <= 0 || close <= 0)
        {
            return "prices must be positive";
        }

        if (volume < 0)
        {
            return $"volume {f[5]} is negative";
        }

        if (high < Math.Max(open, close) || low > Math.Min(open, close))
        {
            return $"high {f[2]} / low {f[3]} do not contain open {f[1]} and close {f[4]}";
        }

        if (ts % TradeTime.MsPerMinute != 0)
        {
            return $"timestamp '{f[0]}' is not the start of a minute (a bar's timestamp is its open time, hh:mm:00)";
        }

        if (state.Rows > 0 && ts <= state.LastTs)
        {
            return $"timestamp '{f[0]}' is not after the previous bar's (bars must be in time order, one per minute)";
        }

        state.Row(ts);
        if (volume == 0)
        {
            return null; // no trade in that minute: the calculators carry the last close forward
        }

        var side = close >= open ? "buy" : "sell";
        var quarter = volume / 4m;
        var (second, third) = close >= open ? (low, high) : (high, low);
        state.Trade(ts, open, quarter, side);
        state.Trade(ts + 15_000, second, quarter, side);
        state.Trade(ts + 30_000, third, quarter, side);
        state.Trade(ts + 45_000, close, quarter, side);
        return null;
    }

    private static string? Tick(string[] f, ImportState state)
    {
        if (f.Length != 3)
        {
            return $"{f.Length} columns, expected 3 (timestamp,price,size)";
        }

        if (!CsvTimestamp.TryParse(f[0], out var ts, out var tsError))
        {
            return tsError;
        }

        if (Numbers(f, TickColumns, out var n) is { } numberError)
        {
            return numberError;
        }

        var (px, size) = (n[1], n[2]);

        if (px <= 0 || size <= 0)
        {
            return $"price {f[1]} and size {f[2]} must be positive";
        }

        if (state.Rows > 0 && ts < state.LastTs)
        {
            return $"timestamp '{f[0]}' is before the previous row's (ticks must be in time order)";
        }

        state.Row(ts);
        var side = state.LastPx is not { } previous || px > previous ? "buy" : px < previous ? "sell" : state.LastSide;
        state.Trade(ts, px, size, side);
        return null;
    }

    /// <summary>Columns 1.. as decimals (plain or with an exponent, as some exports write small volumes).</summary>
    private static string? Numbers(string[] fields, string[] columns, out decimal[] values)
    {
        values = new decimal[fields.Length];
        for (var i = 1; i < fields.Length; i++)
        {
            if (!decimal.TryParse(fields[i], NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out values[i]))
            {
                return $"{columns[i]} '{fields[i]}' is not a number";
            }
        }

        return null;
    }

    private static string[] Split(string line)
    {
        var fields = line.Split(',');
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i].Trim();
            fields[i] = field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Trim() : field;
        }

        return fields;
    }

    /// <summary>The running import: counters, the open day file, the issues.</summary>
    private sealed class ImportState(VaultLayout vault, string exchange, string instId, string baseCcy)
    {
        private JsonlAppender? _day;
        private DateOnly _dayOpen;

        public List<CsvIssue> Issues { get; } = [];
        public long IssueCount { get; private set; }
        public CsvKind? Kind { get; private set; }
        public long Rows { get; private set; }
        public long? FirstTs { get; private set; }
        public long LastTs { get; private set; }
        public decimal? LastPx { get; private set; }
        public string LastSide { get; private set; } = "buy";
        public long TradeSeq { get; private set; }

        public void Issue(string file, long line, string reason)
        {
            IssueCount++;
            if (Issues.Count < MaxListedIssues)
            {
                Issues.Add(new CsvIssue(file, line, reason));
            }
        }

        public bool SetKind(CsvKind kind, string file, long line)
        {
            if (Kind is { } known && known != kind)
            {
                Issue(file, line, $"{Describe(kind)} after {Describe(known)} in an earlier file: give one kind of CSV per backtest");
                return false;
            }

            Kind = kind;
            return true;
        }

        public void Row(long ts)
        {
            Rows++;
            FirstTs ??= ts;
            LastTs = ts;
        }

        public void Trade(long ts, decimal px, decimal qty, string side)
        {
            LastPx = px;
            LastSide = side;
            if (IssueCount > 0)
            {
                return; // the import is refused anyway: only keep reading for the issue list
            }

            var day = TradeTime.Day(ts);
            if (_day is null || day != _dayOpen)
            {
                Close();
                _day = JsonlAppender.Open(vault.RawDayJsonl(exchange, instId, day));
                _dayOpen = day;
            }

            var size = ExactDecimal.Format(qty);
            RawTradeWriter.Write(_day, new RawTrade
            {
                Exchange = exchange, InstId = instId, TradeId = (++TradeSeq).ToString(CultureInfo.InvariantCulture), Ts = ts,
                Px = ExactDecimal.Format(px), Sz = size, Side = side, CtVal = "1", CtMult = "1", CtType = "linear",
                CtValCcy = baseCcy, QtyBase = size, RecvTs = ts, Src = "csv",
            });
            _day.EndLine();
        }

        public void Close()
        {
            if (_day is not null)
            {
                _day.Sync();
                _day.Dispose();
                _day = null;
            }
        }

        private static string Describe(CsvKind kind) => kind == CsvKind.Bars ? "1-minute bars" : "ticks";
    }
}
