using System.Globalization;
using System.Text.Json;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Checks raw trade days: duplicate keys, torn or unparsable lines, unreadable files, lines filed under the
/// wrong date, trade-id gaps (ids are consecutive per instrument), the exporter's known gaps, and with ground
/// truth the trades missing or extra within the verified time range and every field of every trade the truth
/// holds (all but recvTs and src). A day is read in whichever form it is stored, JSONL or compacted Parquet; a
/// day present in both (a compaction interrupted between rename and delete) is read once, from the Parquet, as
/// the views and calculators do. Memory stays at sorted arrays of ids (longs) per instrument, plus the truth's
/// (id, hash, offset) triples; lines are never held as objects. No value in a line can stop it: every time is
/// compared as milliseconds against day bounds, never converted to a date.
/// </summary>
public sealed class RawVerifier(VaultLayout vault, IReadOnlyList<IRawDayReader>? readers = null)
{
    private const int MaxProblems = 20;

    /// <summary>Fills one aggregate line may stand for; more is not a real message (and would exhaust memory).</summary>
    private const int MaxAggregate = 1_000_000;
    private readonly IReadOnlyList<IRawDayReader> _readers = readers ?? [new JsonlRawDayReader(), new ParquetRawDayReader()];

    /// <summary>Called per instrument as it is verified (progress).</summary>
    public Action<string, string>? Progress { get; set; }

    public VerifyReport Verify(VerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long? truthFrom = null, truthTo = null;
        if (options.TruthDir is { } truthDir)
        {
            if (TruthProblem(truthDir) is { } problem)
            {
                throw new InvalidDataException(problem);
            }

            var range = TruthLayout.TryReadRange(truthDir);
            (truthFrom, truthTo) = (range?.StartTs, range?.EndTs);
            truthFrom = Max(truthFrom, options.FromTs);
            truthTo = Min(truthTo, options.ToTs);
        }

        var results = new List<InstrumentVerifyResult>();
        foreach (var (exchange, instId) in Targets(options))
        {
            Progress?.Invoke(exchange, instId);
            results.Add(VerifyInstrument(exchange, instId, options, truthFrom, truthTo));
        }

        return new VerifyReport { Instruments = results, TruthFromTs = truthFrom, TruthToTs = truthTo };
    }

    /// <summary>
    /// Null when <paramref name="truthDir"/> holds simulator ground truth (a readable truth.json with startTs
    /// and endTs, or at least one {exchange}/{instId}.jsonl), else why not, in one line.
    /// </summary>
    public static string? TruthProblem(string truthDir)
    {
        ArgumentNullException.ThrowIfNull(truthDir);
        if (!Directory.Exists(truthDir))
        {
            return $"truth directory {truthDir} does not exist";
        }

        var range = TruthLayout.RangePath(truthDir);
        if (File.Exists(range))
        {
            try
            {
                _ = TruthLayout.ReadRange(truthDir);
                return null;
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return $"{range} is not simulator truth: {ex.Message.Split('\n', 2)[0]}";
            }
        }

        return TruthLayout.Exchanges(truthDir).Any(e => TruthLayout.Instruments(truthDir, e).Any())
            ? null
            : $"{truthDir} holds no simulator truth (no truth.json and no {{exchange}}/{{instId}}.jsonl)";
    }

    private IEnumerable<(string Exchange, string InstId)> Targets(VerifyOptions options)
    {
        var exchanges = options.Exchanges ??
            [.. vault.RawExchanges().Union(TruthLayout.Exchanges(options.TruthDir)).Union(StateExchanges()).Order(StringComparer.Ordinal)];
        foreach (var exchange in exchanges)
        {
            VaultNames.Exchange(exchange);
            IEnumerable<string> instruments;
            if (options.InstIds is { Count: > 0 } ids)
            {
                instruments = ids.Where(id => exchanges.Count == 1 || vault.RawInstruments(exchange).Contains(id) ||
                    (options.TruthDir is { } t && File.Exists(TruthLayout.TradesPath(t, exchange, id))) || File.Exists(vault.ExporterState(exchange, id)));
            }
            else
            {
                instruments = vault.RawInstruments(exchange).Union(TruthLayout.Instruments(options.TruthDir, exchange)).Union(StateInstruments(exchange))
                    .Order(StringComparer.Ordinal);
            }

            foreach (var instId in instruments)
            {
                yield return (exchange, VaultNames.InstId(instId));
            }
        }
    }

    private InstrumentVerifyResult VerifyInstrument(string exchange, string instId, VerifyOptions options, long? truthFrom, long? truthTo)
    {
        var from = options.FromTs ?? long.MinValue;
        var to = options.ToTs ?? long.MaxValue;
        var ids = new List<long>();
        var problems = new List<string>();
        long lines = 0, torn = 0, unparsable = 0, wrongDate = 0, unreadable = 0;
        var days = vault.RawDays(exchange, instId).Where(d => Overlaps(d, from, to)).ToList();
        var files = new List<(string Path, DateOnly Day)>();
        foreach (var day in days)
        {
            var path = DayPath(exchange, instId, day, problems);
            if (path is null)
            {
                continue;
            }

            var reader = _readers.FirstOrDefault(r => r.CanRead(path));
            if (reader is null)
            {
                problems.Add($"{path}: no reader for this format (not verified)");
                continue;
            }

            files.Add((path, day));
            var fileName = Path.GetFileName(path);
            var dayStart = TradeTime.DayStartMs(day);
            try
            {
                reader.Read(path, row =>
                {
                    lines++;
                    if (row.Ts < dayStart || row.Ts - dayStart >= TradeTime.MsPerDay || row.Exchange != exchange || row.InstId != instId)
                    {
                        wrongDate++;
                        if (problems.Count < MaxProblems)
                        {
                            problems.Add($"{fileName}: trade {row.TradeId} at {Time(row.Ts)} ({row.Exchange} {row.InstId}) is filed under {day:yyyy-MM-dd}");
                        }
                    }

                    if (row.Ts < from || row.Ts > to)
                    {
                        return;
                    }

                    if (row.Count > MaxAggregate)
                    {
                        unparsable++;
                        if (problems.Count < MaxProblems)
                        {
                            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{fileName}: trade {row.TradeId} claims {row.Count} fills (more than {MaxAggregate}); not counted"));
                        }
                    }
                    else if (row.Count > 1)
                    {
                        // An aggregate line stands for ids TradeId-Count+1..TradeId; counted by position so no id can wrap.
                        var first = row.TradeId - Math.Min(row.Count - 1, row.TradeId);
                        for (var k = 0L; k <= row.TradeId - first; k++)
                        {
                            ids.Add(first + k);
                        }
                    }
                    else
                    {
                        ids.Add(row.TradeId);
                    }
                }, problem =>
                {
                    if (problem.Unreadable)
                    {
                        unreadable++;
                        problems.Add($"{path}@{problem.Offset}: {problem.Reason}"); // always listed, with the full path
                        return;
                    }

                    if (problem.Torn)
                    {
                        torn++;
                    }
                    else
                    {
                        unparsable++;
                    }

                    if (problems.Count < MaxProblems)
                    {
                        problems.Add($"{fileName}@{problem.Offset}: {problem.Reason}");
                    }
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DuckDbException)
            {
                unreadable++;
                problems.Add($"{path}: unreadable: {ex.Message.Split('\n', 2)[0]}");
            }
        }

        ids.Sort();
        long duplicates = 0, gapCount = 0, gapIds = 0;
        var gaps = new List<VerifyGap>();
        var unique = new List<long>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (i > 0 && ids[i] == ids[i - 1])
            {
                duplicates++;
                continue;
            }

            if (unique.Count > 0 && ids[i] > unique[^1] + 1)
            {
                gapCount++;
                gapIds += ids[i] - unique[^1] - 1;
                if (gaps.Count < options.MaxGapsListed)
                {
                    gaps.Add(new VerifyGap(exchange, instId, unique[^1] + 1, ids[i] - 1));
                }
            }

            unique.Add(ids[i]);
        }

        ids.Clear();
        ids.TrimExcess();
        long missing = 0, extra = 0;
        var content = new ContentResult();
        if (options.TruthDir is { } truthDir)
        {
            var truth = TruthIndex.Load(TruthLayout.TradesPath(truthDir, exchange, instId), Math.Max(truthFrom ?? long.MinValue, from),
                Math.Min(truthTo ?? long.MaxValue, to), problems);
            (missing, extra) = CompareIds(truth.Ids, unique);
            content = CompareContent(truth, files, options.MaxMismatchesListed, problems);
        }

        var (knownGaps, stateError) = KnownGaps(exchange, instId, from, to);
        if (stateError is not null)
        {
            problems.Add(stateError);
        }

        return new InstrumentVerifyResult
        {
            Exchange = exchange,
            InstId = instId,
            Days = days.Count,
            Lines = lines,
            Duplicates = duplicates,
            Torn = torn,
            Unparsable = unparsable,
            UnreadableFiles = unreadable,
            WrongDate = wrongDate,
            GapCount = gapCount,
            GapIds = gapIds,
            Gaps = gaps,
            Missing = missing,
            Extra = extra,
            Compared = content.Compared,
            ContentMismatches = content.Mismatched,
            Mismatches = content.Listed,
            KnownGaps = knownGaps,
            StateErrors = stateError is null ? 0 : 1,
            FirstId = unique.Count > 0 ? unique[0] : null,
            LastId = unique.Count > 0 ? unique[^1] : null,
            Problems = problems,
        };
    }

    /// <summary>True when some of the day's milliseconds lie in [from, to] (no date conversion of the bounds).</summary>
    private static bool Overlaps(DateOnly day, long from, long to)
    {
        var start = TradeTime.DayStartMs(day);
        return start <= to && start + (TradeTime.MsPerDay - 1) >= from;
    }

    /// <summary>An event time for a message: ISO when it is a representable date, else the raw milliseconds.</summary>
    private static string Time(long ts) =>
        ts is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? TradeTime.ToDateTimeOffset(ts).ToString("O", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{ts} ms (not a representable date)");

    /// <summary>The file to read for a day: its Parquet when there is one (it wins over a leftover JSONL), else its JSONL.</summary>
    private string? DayPath(string exchange, string instId, DateOnly day, List<string> problems)
    {
        var parquet = vault.RawDayParquet(exchange, instId, day);
        var jsonl = vault.RawDayJsonl(exchange, instId, day);
        if (!File.Exists(parquet))
        {
            return File.Exists(jsonl) ? jsonl : null;
        }

        if (File.Exists(jsonl) && problems.Count < MaxProblems)
        {
            problems.Add($"{Path.GetFileName(jsonl)}: the day is also compacted; verified {Path.GetFileName(parquet)} only (run pipeline compact to resolve the leftover)");
        }

        return parquet;
    }

    /// <summary>
    /// Missing = truth ids (ts within the truth range) absent from the vault; extra = vault ids within the
    /// truth's id span that the truth does not have. Vault ids outside the truth's time range are not judged
    /// (the truth does not cover them).
    /// </summary>
    private static (long Missing, long Extra) CompareIds(IReadOnlyList<long> truth, List<long> vaultIds)
    {
        long missing = 0, extra = 0;
        int i = 0, j = 0;
        // Only vault ids inside the truth's id span are judged as extra (the vault may hold more history).
        var low = truth.Count > 0 ? truth[0] : long.MaxValue;
        var high = truth.Count > 0 ? truth[^1] : long.MinValue;
        while (i < truth.Count || j < vaultIds.Count)
        {
            if (j >= vaultIds.Count || (i < truth.Count && truth[i] < vaultIds[j]))
            {
                if (i == 0 || truth[i] != truth[i - 1])
                {
                    missing++;
                }

                i++;
            }
            else if (i >= truth.Count || vaultIds[j] < truth[i])
            {
                if (vaultIds[j] >= low && vaultIds[j] <= high)
                {
                    extra++;
                }

                j++;
            }
            else
            {
                i++;
                j++;
            }
        }

        return (missing, extra);
    }

    /// <summary>
    /// Every vault trade whose id the truth holds is compared field by field with it (all but recvTs and src);
    /// the first <paramref name="maxListed"/> differing fields are listed with file, offset, expected and actual.
    /// </summary>
    private static ContentResult CompareContent(TruthIndex truth, List<(string Path, DateOnly Day)> files, int maxListed, List<string> problems)
    {
        var result = new ContentResult();
        foreach (var (path, _) in files)
        {
            var fileName = Path.GetFileName(path);
            try
            {
                ReadTrades(path, (trade, offset) =>
                {
                    if (!long.TryParse(trade.TradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ||
                        truth.Compare(trade, id, explain: result.Listed.Count < maxListed) is not { } differences)
                    {
                        return; // not a truth trade in range: judged as extra (or not judged) by the id comparison
                    }

                    result.Compared++;
                    if (differences.Count == 0)
                    {
                        return;
                    }

                    result.Mismatched++;
                    foreach (var (field, expected, actual) in differences)
                    {
                        if (result.Listed.Count < maxListed)
                        {
                            result.Listed.Add(new VerifyMismatch(fileName, offset, trade.TradeId, field, expected, actual));
                        }
                    }
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DuckDbException)
            {
                problems.Add($"{path}: content not compared: {ex.Message.Split('\n', 2)[0]}"); // already counted as unreadable
            }
        }

        return result;
    }

    /// <summary>Every valid trade of a day file with its offset (JSONL byte offset, Parquet row number).</summary>
    private static void ReadTrades(string path, Action<RawTrade, long> onTrade)
    {
        if (path.EndsWith(".parquet", StringComparison.Ordinal))
        {
            ParquetRawDayReader.ReadTrades(path, onTrade, _ => { });
            return;
        }

        var parser = new RawTradeParser();
        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out var offset))
        {
            if (parser.TryParse(line, out var trade, out _))
            {
                onTrade(trade!, offset);
            }
        }
    }

    /// <summary>The exporter's known gaps overlapping [from, to], or why its state could not be read.</summary>
    private (IReadOnlyList<KnownGap> Gaps, string? Error) KnownGaps(string exchange, string instId, long from, long to)
    {
        var path = vault.ExporterState(exchange, instId);
        try
        {
            var state = new StateFile<ExporterState>(path).Read();
            return ([.. (state?.KnownGaps ?? []).Where(g => g.FromTs <= to && g.ToTs >= from)], null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], $"exporter state unreadable, known gaps unknown: {ex.Message.Split('\n', 2)[0]}");
        }
    }

    private string StateExporterDir => Path.Combine(vault.StateDir, "exporter");

    /// <summary>Exchanges with exporter state: an instrument may have known gaps and no raw file yet.</summary>
    private IEnumerable<string> StateExchanges() =>
        Directory.Exists(StateExporterDir)
            ? Directory.EnumerateDirectories(StateExporterDir).Select(Path.GetFileName).OfType<string>().Where(VaultNames.IsExchange)
            : [];

    private IEnumerable<string> StateInstruments(string exchange)
    {
        var dir = Path.Combine(StateExporterDir, exchange);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(VaultNames.IsInstId)
            : [];
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private sealed class ContentResult
    {
        public long Compared { get; set; }
        public long Mismatched { get; set; }
        public List<VerifyMismatch> Listed { get; } = [];
    }
}
