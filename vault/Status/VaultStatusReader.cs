using System.Globalization;
using System.Text;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Vault.Status;

/// <summary>
/// Builds the status of every instrument from state files and file tails: raw files are scanned
/// only past the length remembered in state/status/, derived files only at their last line.
/// </summary>
/// <remarks>
/// Status only reads the vault. The cache in state/status/ is best-effort: when it cannot be written
/// (a read-only vault, a full disk, a file in its way) the reader logs that at debug level and goes on,
/// so the next run rescans; the numbers shown never depend on it.
/// </remarks>
public sealed class VaultStatusReader(VaultLayout vault)
{
    private readonly VaultLayout _vault = vault;

    public IReadOnlyList<InstrumentStatus> Read(string? exchangeFilter = null, IReadOnlyCollection<string>? instFilter = null)
    {
        var result = new List<InstrumentStatus>();
        // Instruments with raw days or with exporter state: state alone (known gaps before a first trade) is shown too.
        var exchanges = _vault.RawExchanges().Union(_vault.ExporterStateExchanges()).Order(StringComparer.Ordinal);
        foreach (var exchange in exchanges)
        {
            if (exchangeFilter is not null && exchange != exchangeFilter)
            {
                continue;
            }

            var instIds = _vault.RawInstruments(exchange).Union(_vault.ExporterStateInstruments(exchange)).Order(StringComparer.Ordinal);
            foreach (var instId in instIds)
            {
                if (instFilter is { Count: > 0 } && !instFilter.Contains(instId))
                {
                    continue;
                }

                result.Add(ReadInstrument(exchange, instId));
            }
        }

        return result;
    }

    public InstrumentStatus ReadInstrument(string exchange, string instId)
    {
        var dir = _vault.RawInstrumentDir(exchange, instId);
        var days = _vault.RawDays(exchange, instId);
        var cacheFile = new StateFile<StatusCache>(CachePath(exchange, instId));
        var cache = ReadCache(cacheFile);

        var fresh = new StatusCache();
        long lines = 0;
        long? first = null, last = null;
        var parquetDays = 0;
        var damaged = new List<DamagedFile>();
        foreach (var day in days)
        {
            // Parquet wins when both forms exist (mid-compaction), as for every reader.
            var parquet = Path.Combine(dir, VaultLayout.DayFileName(day, ".parquet"));
            var jsonl = Path.Combine(dir, VaultLayout.DayFileName(day, ".jsonl"));
            var isParquet = File.Exists(parquet);
            if (isParquet)
            {
                parquetDays++;
            }
            else if (!File.Exists(jsonl))
            {
                continue;
            }

            DayFileStats? stats = null;
            if (isParquet)
            {
                stats = DayFileScanner.TryScanParquet(parquet, cache.Files.GetValueOrDefault(Path.GetFileName(parquet)), out var problem);
                if (stats is null)
                {
                    // Reported and skipped: the other days and instruments still count.
                    Log.Warning("Damaged Parquet file {Path} not counted: {Reason}", parquet, problem);
                    damaged.Add(new DamagedFile(parquet, problem ?? "unreadable"));
                    if (!File.Exists(jsonl))
                    {
                        continue;
                    }
                }
            }

            var path = stats is not null ? parquet : jsonl;
            var name = Path.GetFileName(path);
            stats ??= DayFileScanner.Scan(jsonl, cache.Files.GetValueOrDefault(name));
            fresh.Files[name] = stats;
            lines += stats.Lines;
            if (stats.MinTs is { } min)
            {
                first = first is null ? min : Math.Min(first.Value, min);
            }

            if (stats.MaxTs is { } max)
            {
                last = last is null ? max : Math.Max(last.Value, max);
            }
        }

        if (!DictionaryEquals(cache.Files, fresh.Files))
        {
            TryWriteCache(cacheFile, fresh);
        }

        var (exporter, exporterError) = ReadExporterState(exchange, instId);
        return new InstrumentStatus
        {
            Exchange = exchange,
            InstId = instId,
            Days = days.Count,
            ParquetDays = parquetDays,
            FirstDay = days.Count > 0 ? days[0] : null,
            LastDay = days.Count > 0 ? days[^1] : null,
            Lines = lines,
            FirstTradeTs = first,
            LastTradeTs = last,
            Exporter = exporter,
            ExporterStateError = exporterError,
            DamagedFiles = damaged,
            Calculators = ReadCalculators(exchange, instId, exporter),
        };
    }

    /// <summary>
    /// Days, lines and newest event time of one instrument's microstructure kind, through the same length-keyed scan
    /// cache as the trades (state/status/{exchange}/{kind}/{instId}.json): a status call reads only the bytes appended
    /// since the last one, and a compacted day only its row count.
    /// </summary>
    public (int Days, long Lines, long? LastTs) ReadMicro(Micro.MicroKind kind, string exchange, string instId)
    {
        var dir = _vault.MicroInstrumentDir(kind, exchange, instId);
        var days = VaultLayout.ListDays(dir);
        var cacheFile = new StateFile<StatusCache>(Path.Combine(_vault.StateDir, "status", VaultNames.Exchange(exchange), Micro.MicroKinds.Name(kind), VaultNames.InstId(instId) + ".json"));
        var cache = ReadCache(cacheFile);
        var fresh = new StatusCache();
        long lines = 0;
        long? last = null;
        foreach (var day in days)
        {
            var parquet = Path.Combine(dir, VaultLayout.DayFileName(day, ".parquet"));
            var jsonl = Path.Combine(dir, VaultLayout.DayFileName(day, ".jsonl"));
            var stats = File.Exists(parquet) ? DayFileScanner.TryScanParquet(parquet, cache.Files.GetValueOrDefault(Path.GetFileName(parquet)), out _) : null;
            var path = stats is not null ? parquet : jsonl;
            if (stats is null && !File.Exists(jsonl))
            {
                continue;
            }

            stats ??= DayFileScanner.Scan(jsonl, cache.Files.GetValueOrDefault(Path.GetFileName(jsonl)));
            fresh.Files[Path.GetFileName(path)] = stats;
            lines += stats.Lines;
            last = stats.MaxTs is { } max ? Math.Max(last ?? max, max) : last;
        }

        TryWriteCache(cacheFile, fresh);
        return (days.Count, lines, last);
    }

    /// <summary>state/status/{exchange}/{instId}.json: the scan cache of one instrument.</summary>
    public string CachePath(string exchange, string instId) =>
        Path.Combine(_vault.StateDir, "status", VaultNames.Exchange(exchange), VaultNames.InstId(instId) + ".json");

    private static StatusCache ReadCache(StateFile<StatusCache> file)
    {
        try
        {
            return file.Read() ?? new StatusCache();
        }
        catch (Exception ex) when (ex is StateFileCorruptException or IOException or UnauthorizedAccessException)
        {
            Log.Debug("Status cache {Path} not readable ({Reason}); rescanning", file.Path, ex.Message);
            return new StatusCache(); // only a cache: rebuild it
        }
    }

    private static void TryWriteCache(StateFile<StatusCache> file, StatusCache cache)
    {
        try
        {
            file.Write(cache);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only vault, full disk, or something in the way: status still reports; the next run rescans.
            Log.Debug("Status cache {Path} not written ({Reason}); status is unaffected, the next run rescans", file.Path, ex.Message);
            TryDelete(file.TempPath);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Debug("Status cache temp file {Path} not removed ({Reason})", path, ex.Message);
        }
    }

    private (ExporterState? State, string? Error) ReadExporterState(string exchange, string instId)
    {
        try
        {
            return (new StateFile<ExporterState>(_vault.ExporterState(exchange, instId)).Read(), null);
        }
        catch (Exception ex) when (ex is StateFileCorruptException or IOException or UnauthorizedAccessException)
        {
            return (null, ex.Message);
        }
    }

    private List<CalculatorStatus> ReadCalculators(string exchange, string instId, ExporterState? exporter)
    {
        var list = new List<CalculatorStatus>();
        if (!Directory.Exists(_vault.DerivedDir))
        {
            return list;
        }

        var calcs = Directory.EnumerateDirectories(_vault.DerivedDir).Select(Path.GetFileName).OfType<string>()
            .Where(n => n != "signals" && VaultNames.IsName(n)).Order(StringComparer.Ordinal);
        foreach (var calc in calcs)
        {
            var dir = _vault.DerivedInstrumentDir(calc, exchange, instId);
            var days = VaultLayout.ListDays(dir);
            DateTimeOffset? lastMinute = null;
            for (var i = days.Count - 1; i >= 0 && lastMinute is null; i--)
            {
                var jsonl = Path.Combine(dir, VaultLayout.DayFileName(days[i], ".jsonl"));
                lastMinute = File.Exists(jsonl) ? LastMinute(jsonl) : EndOfDayMinute(days[i]);
            }

            TimeSpan? lag = lastMinute is { } m && exporter is { WatermarkTs: > 0 }
                ? DateTimeOffset.FromUnixTimeMilliseconds(exporter.WatermarkTs) - m.AddMinutes(1)
                : null;
            list.Add(new CalculatorStatus(calc, lastMinute, lag));
        }

        return list;
    }

    private static DateTimeOffset EndOfDayMinute(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59), DateTimeKind.Utc));

    /// <summary>The "minute" of the last complete line, read from the file's tail.</summary>
    internal static DateTimeOffset? LastMinute(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        var size = (int)Math.Min(length, 64 * 1024);
        if (size == 0)
        {
            return null;
        }

        var buffer = new byte[size];
        stream.Seek(length - size, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        var text = buffer.AsSpan();
        var end = text.LastIndexOf((byte)'\n');
        if (end < 0)
        {
            return null;
        }

        var start = text[..end].LastIndexOf((byte)'\n') + 1;
        var line = Encoding.UTF8.GetString(text[start..end]);
        const string key = "\"minute\":\"";
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var valueEnd = line.IndexOf('"', at + key.Length);
        return DateTimeOffset.TryParse(line.AsSpan(at + key.Length, valueEnd - at - key.Length), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var minute) ? minute : null;
    }

    private static bool DictionaryEquals(Dictionary<string, DayFileStats> a, Dictionary<string, DayFileStats> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value);
}
