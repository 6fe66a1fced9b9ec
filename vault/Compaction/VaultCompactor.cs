using System.Diagnostics;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Vault.Compaction;

/// <summary>
/// Compacts closed days of raw trades and derived minute outputs to Parquet (zstd). A day is closed
/// when it is before today (UTC) and before <see cref="CompactionOptions.Before"/>, and the
/// instrument's exporter watermark is past its end (or there is no exporter state). Per day: COPY to
/// <c>{day}.parquet.tmp</c>, fsync, verify against the JSONL, rename to <c>{day}.parquet</c>, fsync the
/// directory, delete the JSONL, fsync again. Readers prefer the Parquet form when both exist, so the
/// moment between rename and delete never double counts. Leftovers of a crash are repaired first: a
/// <c>.tmp</c> is removed; a day present in both forms has its Parquet verified and then its JSONL
/// removed. Idempotent: a second pass finds nothing to do.
/// </summary>
public sealed class VaultCompactor(VaultLayout vault, CompactionOptions? options = null)
{
    private readonly CompactionOptions _options = options ?? new CompactionOptions();
    private readonly ILogger _log = Log.ForContext<VaultCompactor>();

    /// <summary>Every day file compaction would consider (JSONL days and days in both forms), raw first, then derived.</summary>
    public IReadOnlyList<CompactionCandidate> Candidates()
    {
        var list = new List<CompactionCandidate>();
        foreach (var exchange in vault.RawExchanges().Where(e => _options.Exchange is null || e == _options.Exchange))
        {
            foreach (var instId in vault.RawInstruments(exchange).Where(Wanted))
            {
                foreach (var day in vault.RawDays(exchange, instId))
                {
                    list.Add(new CompactionCandidate(null, exchange, instId, day, vault.RawDayJsonl(exchange, instId, day),
                        vault.RawDayParquet(exchange, instId, day)));
                }
            }
        }

        foreach (var exchange in vault.RawExchanges().Where(e => _options.Exchange is null || e == _options.Exchange))
        {
            foreach (var kind in Micro.MicroKinds.All)
            {
                foreach (var instId in Micro.MicroDayFiles.Instruments(vault, kind, exchange).Where(Wanted))
                {
                    foreach (var day in Micro.MicroDayFiles.Days(vault, kind, exchange, instId))
                    {
                        list.Add(new CompactionCandidate(null, exchange, instId, day, vault.MicroDayJsonl(kind, exchange, instId, day),
                            Micro.MicroDayFiles.ParquetPath(vault, kind, exchange, instId, day)) { Micro = kind });
                    }
                }
            }
        }

        if (_options.IncludeDerived && Directory.Exists(vault.DerivedDir))
        {
            var calcs = Directory.EnumerateDirectories(vault.DerivedDir).Select(Path.GetFileName).OfType<string>()
                .Where(c => c != "signals" && VaultNames.IsName(c)).Order(StringComparer.Ordinal);
            foreach (var calc in calcs)
            {
                var calcDir = Path.Combine(vault.DerivedDir, calc);
                foreach (var exchange in Directory.EnumerateDirectories(calcDir).Select(Path.GetFileName).OfType<string>()
                             .Where(VaultNames.IsExchange).Where(e => _options.Exchange is null || e == _options.Exchange).Order(StringComparer.Ordinal))
                {
                    var perps = Path.Combine(calcDir, exchange, "perps");
                    if (!Directory.Exists(perps))
                    {
                        continue;
                    }

                    foreach (var instId in Directory.EnumerateDirectories(perps).Select(Path.GetFileName).OfType<string>()
                                 .Where(VaultNames.IsInstId).Where(Wanted).Order(StringComparer.Ordinal))
                    {
                        foreach (var day in VaultLayout.ListDays(vault.DerivedInstrumentDir(calc, exchange, instId)))
                        {
                            list.Add(new CompactionCandidate(calc, exchange, instId, day, vault.DerivedDay(calc, exchange, instId, day),
                                vault.DerivedDayParquet(calc, exchange, instId, day)));
                        }
                    }
                }
            }
        }

        return list;
    }

    /// <summary>One pass over every candidate; <paramref name="progress"/> hears of each day as it is done.</summary>
    public CompactionReport Run(Action<DayCompaction, int, int>? progress = null, CancellationToken token = default)
    {
        var clock = Stopwatch.StartNew();
        var candidates = Candidates();
        var tempRemoved = RemoveTempFiles(candidates);
        var results = new List<DayCompaction>();
        var exporters = new Dictionary<(string, string), (ExporterState? State, string? Error)>();
        using var connection = DuckDbConnection.OpenInMemory(new Dictionary<string, string>
        {
            ["autoinstall_known_extensions"] = "false",
            ["autoload_known_extensions"] = "false",
        });
        connection.Execute("SET preserve_insertion_order = true"); // Parquet rows in file order: bars_1m reads them by row
        var done = 0;
        foreach (var candidate in candidates)
        {
            token.ThrowIfCancellationRequested();
            if (!File.Exists(candidate.JsonlPath))
            {
                done++;
                continue; // already Parquet only
            }

            if (!exporters.TryGetValue((candidate.Exchange, candidate.InstId), out var exporter))
            {
                exporter = ReadExporter(candidate.Exchange, candidate.InstId);
                exporters[(candidate.Exchange, candidate.InstId)] = exporter;
            }

            var result = CompactOne(connection, candidate, exporter);
            results.Add(result);
            Report(result);
            progress?.Invoke(result, ++done, candidates.Count);
        }

        return new CompactionReport(results, tempRemoved, clock.Elapsed);
    }

    /// <summary>
    /// Why a day is not closed yet (and its <paramref name="kind"/>), or null when it is. A day with exporter state
    /// is closed only once the watermark is past its end: before that the exporter may still append to it (a
    /// restart gap-fills from its last trade). A day without exporter state (backfilled history) is closed once past.
    /// </summary>
    public string? NotClosed(DateOnly day, ExporterState? exporter, out SkipReason kind)
    {
        var today = DateOnly.FromDateTime(_options.Time.GetUtcNow().UtcDateTime);
        if (day >= today)
        {
            kind = SkipReason.Today;
            return "today (UTC) is never compacted";
        }

        if (_options.Before is { } before && day >= before)
        {
            kind = SkipReason.NotBefore;
            return $"not before --before {before:yyyy-MM-dd}";
        }

        var needed = TradeTime.DayStartMs(day.AddDays(1)) + (long)_options.AllowedLateness.TotalMilliseconds;
        if (exporter is not null && exporter.WatermarkTs < needed)
        {
            kind = SkipReason.NotRecorded;
            return $"exporter watermark {TradeTime.ToDateTimeOffset(exporter.WatermarkTs):yyyy-MM-dd'T'HH:mm:ss.fff'Z'} is not past the day's end";
        }

        kind = default;
        return null;
    }

    private DayCompaction CompactOne(DuckDbConnection connection, CompactionCandidate day, (ExporterState? State, string? Error) exporter)
    {
        var clock = Stopwatch.StartNew();
        var jsonlBytes = new FileInfo(day.JsonlPath).Length;
        DayCompaction Result(CompactionOutcome outcome, long rows, string? reason) =>
            new(day, outcome, rows, jsonlBytes, File.Exists(day.ParquetPath) ? new FileInfo(day.ParquetPath).Length : 0, reason, clock.Elapsed);

        try
        {
            if (File.Exists(day.ParquetPath))
            {
                return Recover(connection, day, Result);
            }

            DayCompaction Skipped(SkipReason kind, long rows, string reason) => Result(CompactionOutcome.Skipped, rows, reason) with { Skip = kind };
            if (exporter.Error is { } unreadable)
            {
                return Skipped(SkipReason.StateUnreadable, 0, unreadable);
            }

            if (NotClosed(day.Day, exporter.State, out var kind) is { } open)
            {
                return Skipped(kind, 0, open);
            }

            if (_options.Guard?.Hold(day) is { } held)
            {
                return Skipped(SkipReason.ReaderBusy, 0, held);
            }

            var (lines, torn) = ParquetDay.CountLines(day.JsonlPath);
            if (lines == 0)
            {
                return Skipped(SkipReason.Empty, 0, "no complete line");
            }

            if (torn)
            {
                return Skipped(SkipReason.TornLine, lines, "ends in a torn line (the writer repairs it when it reopens the file)");
            }

            if (day.Micro is { } micro)
            {
                return CompactMicro(connection, day, micro, lines, Result, Skipped);
            }

            var source = day.IsRaw ? ParquetDay.Raw(day.JsonlPath) : ParquetDay.Derived(connection, day.JsonlPath);
            var valid = ParquetDay.CountRows(connection, source);
            if (valid != lines)
            {
                return Skipped(SkipReason.InvalidLines, lines,
                    $"{lines - valid} of {lines} lines are not valid records; left as JSONL so nothing is lost");
            }

            var temp = day.ParquetPath + ParquetDay.TempSuffix;
            ParquetDay.Write(connection, source, temp);
            var difference = ParquetDay.Verify(connection, source, temp, out var rows);
            if (difference is not null)
            {
                File.Delete(temp);
                return Result(CompactionOutcome.Failed, rows, "verification failed: " + difference);
            }

            var directory = Path.GetDirectoryName(day.ParquetPath)!;
            File.Move(temp, day.ParquetPath);
            DurableFile.SyncDirectory(directory);
            File.Delete(day.JsonlPath);
            DurableFile.SyncDirectory(directory);
            return Result(CompactionOutcome.Compacted, rows, null);
        }
        catch (Exception ex) when (ex is DuckDbException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Result(CompactionOutcome.Failed, 0, ex.Message.Split('\n', 2)[0]);
        }
    }

    /// <summary>
    /// A microstructure day: every line must be a valid record of its kind; the Parquet is proven line by line in order
    /// (<see cref="MicroParquetDay.VerifyInOrder"/>) before it replaces the JSONL.
    /// </summary>
    private static DayCompaction CompactMicro(DuckDbConnection connection, CompactionCandidate day, Micro.MicroKind kind, long lines,
        Func<CompactionOutcome, long, string?, DayCompaction> result, Func<SkipReason, long, string, DayCompaction> skipped)
    {
        var invalid = MicroParquetDay.InvalidLines(kind, day.JsonlPath, out var first);
        if (invalid > 0)
        {
            return skipped(SkipReason.InvalidLines, lines,
                $"{invalid} of {lines} lines are not valid {day.Kind} records (first: {first}); left as JSONL so nothing is lost");
        }

        var temp = day.ParquetPath + ParquetDay.TempSuffix;
        ParquetDay.Write(connection, MicroParquetDay.Source(kind, day.JsonlPath), temp);
        var difference = MicroParquetDay.VerifyInOrder(connection, kind, day.JsonlPath, temp, out var rows);
        if (difference is not null)
        {
            File.Delete(temp);
            return result(CompactionOutcome.Failed, rows, "verification failed: " + difference);
        }

        var directory = Path.GetDirectoryName(day.ParquetPath)!;
        File.Move(temp, day.ParquetPath);
        DurableFile.SyncDirectory(directory);
        File.Delete(day.JsonlPath);
        DurableFile.SyncDirectory(directory);
        return result(CompactionOutcome.Compacted, rows, null);
    }

    /// <summary>Both forms exist: a crash between rename and delete (or a JSONL that grew since).</summary>
    private static DayCompaction Recover(DuckDbConnection connection, CompactionCandidate day,
        Func<CompactionOutcome, long, string?, DayCompaction> result)
    {
        long rows;
        var difference = day.Micro is { } micro
            ? MicroParquetDay.VerifyInOrder(connection, micro, day.JsonlPath, day.ParquetPath, out rows)
            : ParquetDay.Verify(connection, day.IsRaw ? ParquetDay.Raw(day.JsonlPath) : ParquetDay.Derived(connection, day.JsonlPath),
                day.ParquetPath, out rows);
        if (difference is not null)
        {
            // The Parquet was verified before its rename, so the JSONL changed afterwards: keep both for a person to look at.
            return result(CompactionOutcome.Failed, rows,
                $"present as JSONL and Parquet and they differ ({difference}); both kept, readers use the Parquet — compare them, then remove one");
        }

        File.Delete(day.JsonlPath);
        DurableFile.SyncDirectory(Path.GetDirectoryName(day.JsonlPath)!);
        return result(CompactionOutcome.Recovered, rows, "the Parquet of an interrupted run verified; its JSONL removed");
    }

    private int RemoveTempFiles(IReadOnlyList<CompactionCandidate> candidates)
    {
        var removed = 0;
        foreach (var directory in candidates.Select(c => Path.GetDirectoryName(c.ParquetPath)!).Distinct(StringComparer.Ordinal))
        {
            foreach (var temp in Directory.EnumerateFiles(directory, "*.parquet" + ParquetDay.TempSuffix))
            {
                File.Delete(temp);
                removed++;
                _log.Information("Removed {Path} left by an interrupted compaction", temp);
            }
        }

        return removed;
    }

    private (ExporterState?, string?) ReadExporter(string exchange, string instId)
    {
        try
        {
            return (new StateFile<ExporterState>(vault.ExporterState(exchange, instId)).Read(), null);
        }
        catch (StateFileCorruptException ex)
        {
            return (null, "exporter state unreadable: " + ex.Message);
        }
    }

    private bool Wanted(string instId) => _options.InstIds.Count == 0 || _options.InstIds.Contains(instId);

    private void Report(DayCompaction result)
    {
        switch (result.Outcome)
        {
            case CompactionOutcome.Compacted:
            case CompactionOutcome.Recovered:
                _log.Information("Compacted {Day}: {Rows} rows, {JsonlBytes} → {ParquetBytes} bytes ({Outcome})",
                    result.Day.ToString(), result.Rows, result.JsonlBytes, result.ParquetBytes, result.Outcome);
                break;
            case CompactionOutcome.Failed:
                _log.Error("Could not compact {Day}: {Reason}", result.Day.ToString(), result.Reason);
                break;
            default:
                _log.Debug("Left {Day} as JSONL: {Reason}", result.Day.ToString(), result.Reason);
                break;
        }
    }
}
