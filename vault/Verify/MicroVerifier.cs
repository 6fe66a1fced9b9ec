using System.Globalization;
using System.Text;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Checks the microstructure days (<c>quotes</c>, <c>book</c>, <c>liquidations</c>, <c>derivatives</c>) in whichever form
/// they are stored: torn and unparsable lines (file and offset), unreadable files, misfiled lines; quotes' seq strictly
/// increasing per instrument and no repeated quote (a lower seq at a newer event time is the exchange restarting its ids,
/// as the recorder keeps it: reported as information, and the ids count afresh); no repeated liquidation or derivatives line; and each instrument's
/// book continuity across its days: every update applies to a known book (<see cref="BookContinuity"/>: after a
/// snapshot, its prevSeq is the previous line's seq, or for Binance's first update the snapshot lies within
/// firstSeq..seq), an update after a resync before its snapshot is a defect, and every resync is reported with its
/// reason. The range selects whole days (a day overlapping it is verified entirely, so the book's order is kept).
/// </summary>
public sealed class MicroVerifier(VaultLayout vault)
{
    private const int MaxProblems = 20;
    private const int MaxResyncsListed = 100;

    /// <summary>When set, every book day read also builds <c>pipeline book</c>'s checkpoint index in the same pass (<c>--book-index</c>).</summary>
    public BookCheckpoints? BookIndex { get; init; }

    public IReadOnlyList<MicroVerifyResult> Verify(VerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<MicroVerifyResult>();
        var exchanges = options.Exchanges ?? vault.RawExchanges();
        foreach (var kind in MicroKinds.All)
        {
            foreach (var exchange in exchanges)
            {
                foreach (var instId in MicroDayFiles.Instruments(vault, kind, exchange)
                             .Where(i => options.InstIds is not { Count: > 0 } ids || ids.Contains(i)))
                {
                    results.Add(VerifyInstrument(kind, exchange, instId, options.FromTs ?? long.MinValue, options.ToTs ?? long.MaxValue));
                }
            }
        }

        return results;
    }

    private MicroVerifyResult VerifyInstrument(MicroKind kind, string exchange, string instId, long from, long to)
    {
        var allDays = MicroDayFiles.Days(vault, kind, exchange, instId);
        var days = allDays.Where(d => TradeTime.DayStartMs(d) <= to && TradeTime.DayStartMs(d) + TradeTime.MsPerDay - 1 >= from).ToList();
        var problems = new List<string>();
        void Problem(string text)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(text);
            }
        }

        long lines = 0, torn = 0, unparsable = 0, unreadable = 0, wrongDate = 0, duplicates = 0, outOfOrder = 0;
        var check = new KindCheck(kind, days.Count > 0 && allDays[0] < days[0]);
        var index = kind == MicroKind.Book ? BookIndex?.Feed(exchange, instId) : null;
        foreach (var day in days)
        {
            var path = MicroDayFiles.DayPath(vault, kind, exchange, instId, day);
            if (path is null)
            {
                continue;
            }

            var name = Path.GetFileName(path);
            if (path.EndsWith(".parquet", StringComparison.Ordinal) && File.Exists(vault.MicroDayJsonl(kind, exchange, instId, day)))
            {
                Problem($"{name}: the day is also present as JSONL; verified the Parquet only (run pipeline compact to resolve the leftover)");
            }

            var dayStart = TradeTime.DayStartMs(day);
            index?.BeginDay(day, path);
            try
            {
                var tornTail = MicroDayFiles.ForEachLine(path, kind, (line, offset) =>
                {
                    lines++;
                    index?.Line(line, offset);
                    var text = Encoding.UTF8.GetString(line);
                    var (ts, ex, inst, error) = check.Read(text);
                    if (error is not null)
                    {
                        unparsable++;
                        Problem($"{name}@{offset}: not a {MicroKinds.Name(kind)} line: {error}");
                        return true;
                    }

                    if (ts < dayStart || ts - dayStart >= TradeTime.MsPerDay || ex != exchange || inst != instId)
                    {
                        wrongDate++;
                        Problem($"{name}@{offset}: a line at {BookReconstructor.Iso(ts)} ({ex} {inst}) is filed under {day:yyyy-MM-dd} {exchange} {instId}");
                    }

                    switch (check.Judge(name, offset))
                    {
                        case Verdict.Duplicate:
                            duplicates++;
                            Problem($"{name}@{offset}: repeats an earlier {MicroKinds.Name(kind)} line ({check.Key})");
                            break;
                        case Verdict.OutOfOrder:
                            outOfOrder++;
                            Problem($"{name}@{offset}: quote seq {check.Key} is not above the previous quote's");
                            break;
                        case Verdict.Break:
                            Problem($"{name}@{offset}: {check.Key}");
                            break;
                    }

                    return true;
                });
                if (tornTail)
                {
                    torn++;
                    Problem($"{name}: ends in a torn line (the writer cuts it when it reopens the file)");
                }

                index?.EndDay();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DuckDbException)
            {
                index?.Abandon();
                unreadable++;
                problems.Add($"{path}: unreadable: {ex.Message.Split('\n', 2)[0]}");
            }
        }

        return new MicroVerifyResult
        {
            Kind = kind, Exchange = exchange, InstId = instId, Days = days.Count, Lines = lines, Torn = torn, Unparsable = unparsable,
            UnreadableFiles = unreadable, WrongDate = wrongDate, Duplicates = duplicates, OutOfOrder = outOfOrder,
            Snapshots = check.Snapshots, Updates = check.Updates, Resyncs = check.Resyncs, ResyncCount = check.ResyncCount, ContinuityBreaks = check.Breaks,
            Unchecked = check.Unchecked, SeqResetCount = check.SeqResetCount, SeqResets = check.SeqResets, Problems = problems,
        };
    }

    private enum Verdict
    {
        Ok,
        Duplicate,
        OutOfOrder,
        Break,
    }

    private enum BookState
    {
        NotStarted,
        Known,
        AfterResync,
    }

    /// <summary>The per-kind state of one instrument's scan: the last parsed line and what it is judged against.</summary>
    private sealed class KindCheck(MicroKind kind, bool startsAfterFirstDay)
    {
        private readonly HashSet<long> _quoteSeqs = [];
        private readonly HashSet<(long, string, string, string)> _liquidations = [];
        private readonly HashSet<(long, string)> _derivatives = [];
        private readonly List<BookResyncEntry> _resyncs = [];
        private readonly List<QuoteSeqReset> _seqResets = [];
        private long? _lastQuoteSeq;
        private long _lastQuoteTs = long.MinValue;
        private BookState _book = BookState.NotStarted;
        private long? _bookSeq;
        private bool _firstAfterSnapshot;
        private object? _record;

        public long Snapshots { get; private set; }
        public long Updates { get; private set; }
        public long Breaks { get; private set; }
        public long Unchecked { get; private set; }
        public long ResyncCount { get; private set; }
        public IReadOnlyList<BookResyncEntry> Resyncs => _resyncs;
        public long SeqResetCount { get; private set; }
        public IReadOnlyList<QuoteSeqReset> SeqResets => _seqResets;

        /// <summary>What the last judged line was about (its key, or why it breaks the book).</summary>
        public string Key { get; private set; } = "";

        public (long Ts, string Exchange, string InstId, string? Error) Read(string line)
        {
            string? error;
            (_record, error) = kind switch
            {
                MicroKind.Quotes => (MicroLineReader.Quote(line, out var e1), e1),
                MicroKind.Book => (MicroLineReader.Book(line, out var e2), e2),
                MicroKind.Liquidations => (MicroLineReader.Liquidation(line, out var e3), e3),
                _ => ((object?)MicroLineReader.Derivatives(line, out var e4), e4),
            };
            return _record switch
            {
                QuoteRecord q => (q.Ts, q.Exchange, q.InstId, null),
                BookRecord b => (b.Ts, b.Exchange, b.InstId, null),
                LiquidationRecord l => (l.Ts, l.Exchange, l.InstId, null),
                DerivativesRecord d => (d.Ts, d.Exchange, d.InstId, null),
                _ => (0, "", "", error ?? "unreadable"),
            };
        }

        public Verdict Judge(string file, long offset)
        {
            var c = CultureInfo.InvariantCulture;
            switch (_record)
            {
                case QuoteRecord q:
                    Key = q.Seq.ToString(c);
                    if (_lastQuoteSeq is { } before && q.Seq < before && q.Ts > _lastQuoteTs)
                    {
                        // The recorder's rule: OKX restarts seqId on maintenance, so a lower seq at a newer event time is a
                        // new quote (a replay repeats an old seq at an old time). Its ids start again: the old ones may recur.
                        SeqResetCount++;
                        if (_seqResets.Count < MaxResyncsListed)
                        {
                            _seqResets.Add(new QuoteSeqReset(file, offset, q.Ts, q.Seq, before));
                        }

                        _quoteSeqs.Clear();
                        _quoteSeqs.Add(q.Seq);
                        (_lastQuoteSeq, _lastQuoteTs) = (q.Seq, q.Ts);
                        return Verdict.Ok;
                    }

                    _lastQuoteTs = Math.Max(q.Ts, _lastQuoteTs);
                    if (!_quoteSeqs.Add(q.Seq))
                    {
                        return Verdict.Duplicate;
                    }

                    var ordered = _lastQuoteSeq is not { } last || q.Seq > last;
                    _lastQuoteSeq = Math.Max(q.Seq, _lastQuoteSeq ?? long.MinValue);
                    return ordered ? Verdict.Ok : Verdict.OutOfOrder;
                case LiquidationRecord l:
                    Key = string.Create(c, $"ts {l.Ts} {l.Side} {l.Px} x {l.Sz}");
                    return _liquidations.Add((l.Ts, l.Side, l.Px, l.Sz)) ? Verdict.Ok : Verdict.Duplicate;
                case DerivativesRecord d:
                    Key = string.Create(c, $"ts {d.Ts} {d.Channel}");
                    return _derivatives.Add((d.Ts, d.Channel)) ? Verdict.Ok : Verdict.Duplicate;
                case BookRecord b:
                    return JudgeBook(b, file, offset);
                default:
                    return Verdict.Ok;
            }
        }

        private Verdict JudgeBook(BookRecord b, string file, long offset)
        {
            switch (b.Type)
            {
                case BookRecordType.Snapshot:
                    Snapshots++;
                    (_book, _bookSeq, _firstAfterSnapshot) = (BookState.Known, b.Seq, true);
                    return Verdict.Ok;
                case BookRecordType.Resync:
                    ResyncCount++;
                    if (_resyncs.Count < MaxResyncsListed)
                    {
                        _resyncs.Add(new BookResyncEntry(file, offset, b.Ts, b.Reason ?? "(no reason recorded)"));
                    }

                    (_book, _bookSeq) = (BookState.AfterResync, null);
                    return Verdict.Ok;
                default:
                    Updates++;
                    string? why = _book switch
                    {
                        BookState.AfterResync => "an update after a resync, before its snapshot: it applies to no known book",
                        BookState.NotStarted when startsAfterFirstDay => null,
                        BookState.NotStarted => "an update before the first snapshot: it applies to no known book",
                        _ => BookContinuity.Break(_bookSeq, _firstAfterSnapshot, b) is { } broken
                            ? $"the update does not continue the book ({broken}) and no resync was recorded"
                            : null,
                    };
                    if (_book == BookState.NotStarted && startsAfterFirstDay)
                    {
                        Unchecked++;
                        return Verdict.Ok;
                    }

                    _bookSeq = b.Seq;
                    _firstAfterSnapshot = false;
                    if (why is null)
                    {
                        return Verdict.Ok;
                    }

                    Breaks++;
                    Key = why;
                    return Verdict.Break;
            }
        }
    }
}
