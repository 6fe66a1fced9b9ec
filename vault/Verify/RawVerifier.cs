using System.Text.Json;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Checks raw trade days: duplicate keys, torn or unparsable lines, lines filed under the wrong date,
/// trade-id gaps (ids are consecutive per instrument), and with ground truth the trades missing or
/// extra within the verified time range. A day is read in whichever form it is stored, JSONL or
/// compacted Parquet; a day present in both (a compaction interrupted between rename and delete) is
/// read once, from the Parquet, as the views and calculators do. Memory stays at a sorted array of ids
/// (longs) per instrument; lines are never held as objects.
/// </summary>
public sealed class RawVerifier(VaultLayout vault, IReadOnlyList<IRawDayReader>? readers = null)
{
    private readonly IReadOnlyList<IRawDayReader> _readers = readers ?? [new JsonlRawDayReader(), new ParquetRawDayReader()];

    /// <summary>Called per instrument as it is verified (progress).</summary>
    public Action<string, string>? Progress { get; set; }

    public VerifyReport Verify(VerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long? truthFrom = null, truthTo = null;
        if (options.TruthDir is { } truthDir)
        {
            if (!Directory.Exists(truthDir))
            {
                throw new DirectoryNotFoundException($"truth directory {truthDir} does not exist");
            }

            (truthFrom, truthTo) = TruthRange(truthDir);
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

    private IEnumerable<(string Exchange, string InstId)> Targets(VerifyOptions options)
    {
        var exchanges = options.Exchanges ?? [.. vault.RawExchanges().Union(TruthExchanges(options.TruthDir)).Order(StringComparer.Ordinal)];
        foreach (var exchange in exchanges)
        {
            VaultNames.Exchange(exchange);
            IEnumerable<string> instruments;
            if (options.InstIds is { Count: > 0 } ids)
            {
                instruments = ids.Where(id => exchanges.Count == 1 || vault.RawInstruments(exchange).Contains(id) ||
                    (options.TruthDir is { } t && File.Exists(TruthPath(t, exchange, id))));
            }
            else
            {
                instruments = vault.RawInstruments(exchange).Union(TruthInstruments(options.TruthDir, exchange)).Order(StringComparer.Ordinal);
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
        long lines = 0, torn = 0, unparsable = 0, wrongDate = 0;
        var days = vault.RawDays(exchange, instId)
            .Where(d => (options.FromTs is null || d >= TradeTime.Day(from)) && (options.ToTs is null || d <= TradeTime.Day(to))).ToList();
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

            var fileName = Path.GetFileName(path);
            reader.Read(path, row =>
            {
                lines++;
                if (TradeTime.Day(row.Ts) != day || row.Exchange != exchange || row.InstId != instId)
                {
                    wrongDate++;
                    if (problems.Count < 20)
                    {
                        problems.Add($"{fileName}: trade {row.TradeId} at {TradeTime.ToDateTimeOffset(row.Ts):O} ({row.Exchange} {row.InstId}) is filed under {day:yyyy-MM-dd}");
                    }
                }

                if (row.Ts < from || row.Ts > to)
                {
                    return;
                }

                if (row.Count > 1)
                {
                    for (var id = row.TradeId - row.Count + 1; id <= row.TradeId; id++)
                    {
                        ids.Add(id);
                    }
                }
                else
                {
                    ids.Add(row.TradeId);
                }
            }, problem =>
            {
                if (problem.Torn)
                {
                    torn++;
                }
                else
                {
                    unparsable++;
                }

                if (problems.Count < 20)
                {
                    problems.Add($"{fileName}@{problem.Offset}: {problem.Reason}");
                }
            });
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
        if (options.TruthDir is { } truthDir)
        {
            (missing, extra) = CompareWithTruth(TruthPath(truthDir, exchange, instId), unique, truthFrom ?? long.MinValue, truthTo ?? long.MaxValue,
                from, to, problems);
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
            WrongDate = wrongDate,
            GapCount = gapCount,
            GapIds = gapIds,
            Gaps = gaps,
            Missing = missing,
            Extra = extra,
            FirstId = unique.Count > 0 ? unique[0] : null,
            LastId = unique.Count > 0 ? unique[^1] : null,
            Problems = problems,
        };
    }

    /// <summary>The file to read for a day: its Parquet when there is one (it wins over a leftover JSONL), else its JSONL.</summary>
    private string? DayPath(string exchange, string instId, DateOnly day, List<string> problems)
    {
        var parquet = vault.RawDayParquet(exchange, instId, day);
        var jsonl = vault.RawDayJsonl(exchange, instId, day);
        if (!File.Exists(parquet))
        {
            return File.Exists(jsonl) ? jsonl : null;
        }

        if (File.Exists(jsonl) && problems.Count < 20)
        {
            problems.Add($"{Path.GetFileName(jsonl)}: the day is also compacted; verified {Path.GetFileName(parquet)} only (run pipeline compact to resolve the leftover)");
        }

        return parquet;
    }

    /// <summary>
    /// Missing = truth ids (ts within the truth range) absent from the vault; extra = vault ids within the
    /// truth range's id span that the truth does not have. Vault ids outside the truth's time range are
    /// not judged (the truth does not cover them).
    /// </summary>
    private static (long Missing, long Extra) CompareWithTruth(string truthPath, List<long> vaultIds, long truthFrom, long truthTo,
        long from, long to, List<string> problems)
    {
        var truth = new List<long>();
        long minTs = long.MaxValue;
        if (File.Exists(truthPath))
        {
            new JsonlRawDayReader().Read(truthPath, row =>
            {
                if (row.Ts >= truthFrom && row.Ts <= truthTo && row.Ts >= from && row.Ts <= to)
                {
                    truth.Add(row.TradeId);
                    minTs = Math.Min(minTs, row.Ts);
                }
            }, problem => problems.Add($"truth {Path.GetFileName(truthPath)}@{problem.Offset}: {problem.Reason}"));
        }
        else
        {
            problems.Add($"no truth file {truthPath}");
        }

        truth.Sort();
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

    private static (long? From, long? To) TruthRange(string truthDir)
    {
        var path = Path.Combine(truthDir, "truth.json");
        if (!File.Exists(path))
        {
            return (null, null);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        long? start = root.TryGetProperty("startTs", out var s) && s.TryGetInt64(out var sv) ? sv : null;
        long? end = root.TryGetProperty("endTs", out var e) && e.TryGetInt64(out var ev) ? ev : null;
        return (start, end);
    }

    public static string TruthPath(string truthDir, string exchange, string instId) =>
        Path.Combine(truthDir, VaultNames.Exchange(exchange), VaultNames.InstId(instId) + ".jsonl");

    private static IEnumerable<string> TruthExchanges(string? truthDir) =>
        truthDir is null || !Directory.Exists(truthDir)
            ? []
            : Directory.EnumerateDirectories(truthDir).Select(Path.GetFileName).OfType<string>().Where(VaultNames.IsExchange);

    private static IEnumerable<string> TruthInstruments(string? truthDir, string exchange)
    {
        var dir = truthDir is null ? null : Path.Combine(truthDir, exchange);
        return dir is null || !Directory.Exists(dir)
            ? []
            : Directory.EnumerateFiles(dir, "*.jsonl").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(VaultNames.IsInstId);
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
