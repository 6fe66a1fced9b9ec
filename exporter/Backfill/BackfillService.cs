using System.Diagnostics;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Exporter.Backfill;

/// <summary>
/// Fills closed UTC days of the raw vault from daily archives or REST history:
/// <code>var report = await new BackfillService(options, vault, TimeProvider.System).RunAsync(token);</code>
/// Per (instrument, day): skip when the state lists it as done (unless forced) or when it is compacted;
/// fetch (archive, or REST when the archive does not exist yet in auto mode); merge into the raw day
/// (<see cref="DayMerger"/>: one line per trade, atomic replace); then record the day in
/// state/backfill/{exchange}/{instId}.json and mark it closed for the calculators
/// (state/closed-days/{exchange}/{instId}/{day}.json). A failed day (checksum mismatch, corrupt file, no source,
/// network errors after retries) leaves that day's file unchanged and the run goes on.
/// Each instrument is merged under its <see cref="WriterLock"/>: while another writer (an exporter, another
/// backfill) holds it, that instrument's days fail naming the holder, and nothing of it is fetched.
/// A fetched trade whose event time is not in the day being filled goes to the quarantine, not into a file.
/// </summary>
public sealed class BackfillService(BackfillOptions options, VaultLayout vault, TimeProvider time, ILogger? log = null)
{
    private readonly ILogger _log = (log ?? Log.Logger).ForContext("Exchange", options.Exchange);
    private readonly IVenue _venue = VenueRegistry.For(options.Exchange);

    /// <summary>Called after every page, file and day (from the run's own task).</summary>
    public Action<BackfillProgress>? Progress { get; init; }

    public static string StatePath(VaultLayout vault, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return Path.Combine(vault.StateDir, "backfill", VaultNames.Exchange(exchange), VaultNames.InstId(instId) + ".json");
    }

    public async Task<BackfillReport> RunAsync(CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        options.Validate(TradeTime.Day(time.GetUtcNow().ToUnixTimeMilliseconds()));
        using var rest = ResilientHttp.Rest(_venue, time, _log, options.MaxRetries, options.MaxRetryDelay);
        var specs = await ResolveAsync(rest, token);
        using var downloader = ResilientHttp.Archives(_venue, Path.Combine(vault.StateDir, "backfill", "download"), time, _log,
            options.MaxRetries, options.MaxRetryDelay);
        using var pacer = new RequestPacer(options.RestInterval ?? _venue.Defaults.RestInterval, time);
        var source = _venue.CreateBackfill(options, rest, downloader, pacer, time);
        using var quarantine = new Quarantine(vault, options.Exchange, time, _log);
        var merger = new DayMerger(vault, _log, quarantine);
        var days = options.Days().ToList();
        var total = days.Count * specs.Count;
        var results = new List<BackfillDayResult>();
        long trades = 0;
        foreach (var spec in specs)
        {
            var stateFile = new StateFile<BackfillState>(StatePath(vault, options.Exchange, spec.InstId));
            var state = stateFile.Read() ?? new BackfillState { Exchange = options.Exchange, InstId = spec.InstId };
            WriterLock? writer = null;
            string? locked = null;
            try
            {
                writer = WriterLock.Acquire(vault, options.Exchange, spec.InstId, "backfill");
            }
            catch (WriterLockedException ex)
            {
                locked = ex.Message;
            }

            using var held = writer;
            foreach (var day in days)
            {
                var dayClock = Stopwatch.StartNew();
                var key = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                void Report(string stage, long current) => Progress?.Invoke(new BackfillProgress(results.Count, total, trades + current, spec.InstId, day, stage));
                BackfillDayResult result;
                if (!options.Force && state.Days.ContainsKey(key))
                {
                    result = new BackfillDayResult(spec.InstId, day, BackfillOutcome.Skipped, null, 0, 0, 0, "done in an earlier run (--force redoes it)", dayClock.Elapsed);
                    MarkClosed(spec.InstId, day); // a day filled before markers existed
                }
                else if (File.Exists(vault.RawDayParquet(options.Exchange, spec.InstId, day)))
                {
                    result = new BackfillDayResult(spec.InstId, day, BackfillOutcome.Skipped, null, 0, 0, 0, "compacted to Parquet; left alone", dayClock.Elapsed);
                }
                else if (writer is null)
                {
                    result = new BackfillDayResult(spec.InstId, day, BackfillOutcome.Failed, null, 0, 0, 0, locked, dayClock.Elapsed);
                }
                else
                {
                    Report("fetching", 0);
                    result = await FillDayAsync(spec, day, writer, merger, source, n => Report("fetching", n), dayClock, token);
                    if (result.Outcome == BackfillOutcome.Done)
                    {
                        state.Days[key] = new BackfillDayRecord(result.Source!, result.Fetched, result.Added, time.GetUtcNow());
                        state = state with { UpdatedAt = time.GetUtcNow() };
                        stateFile.Write(state);
                        MarkClosed(spec.InstId, day);
                    }
                }

                LogResult(result);
                trades += result.Fetched;
                results.Add(result);
                Report(result.Outcome.ToString().ToLowerInvariant(), 0);
            }
        }

        return new BackfillReport(options.Exchange, results, clock.Elapsed);
    }

    /// <summary>
    /// The whole day is merged: tell the calculators it is final (state/closed-days, see <see cref="ClosedDays"/>).
    /// Only for a day that has ended; no exporter watermark is needed then.
    /// </summary>
    private void MarkClosed(string instId, DateOnly day)
    {
        var now = time.GetUtcNow();
        if (TradeTime.DayStartMs(day.AddDays(1)) <= now.ToUnixTimeMilliseconds())
        {
            ClosedDays.Mark(vault, options.Exchange, instId, day, "backfill", now);
        }
    }

    private void LogResult(BackfillDayResult r)
    {
        switch (r.Outcome)
        {
            case BackfillOutcome.Done:
                _log.Information("{InstId} {Day:yyyy-MM-dd}: {Fetched} trades from {Source}, {Added} added, {Existing} already there, {Ms:0} ms",
                    r.InstId, r.Day, r.Fetched, r.Source, r.Added, r.Existing, r.Elapsed.TotalMilliseconds);
                break;
            case BackfillOutcome.Skipped:
                _log.Information("{InstId} {Day:yyyy-MM-dd}: skipped, {Reason}", r.InstId, r.Day, r.Message);
                break;
            default:
                _log.Error("{InstId} {Day:yyyy-MM-dd}: FAILED, {Reason}; the day is unchanged", r.InstId, r.Day, r.Message);
                break;
        }
    }

    private async Task<IReadOnlyList<InstrumentSpec>> ResolveAsync(ExchangeRestClient rest, CancellationToken token)
    {
        var exporterOptions = new ExporterOptions
        {
            Exchange = options.Exchange,
            InstIds = options.InstIds,
            OkxRest = options.EffectiveRestUrl,
            BinanceRest = options.EffectiveRestUrl,
        };
        var catalog = new InstrumentCatalog(exporterOptions, vault, rest, time, _log);
        var snapshot = await catalog.LoadAsync(token);
        var specs = catalog.Resolve(snapshot, options.InstIds, out var errors);
        if (errors.Count > 0)
        {
            throw new InstrumentsUnknownException(string.Join("; ", errors));
        }

        return specs;
    }

    private async Task<BackfillDayResult> FillDayAsync(InstrumentSpec spec, DateOnly day, WriterLock writer, DayMerger merger, IVenueBackfill venueDays,
        Action<int> onPage, Stopwatch dayClock, CancellationToken token)
    {
        var start = TradeTime.DayStartMs(day);
        var end = start + TradeTime.MsPerDay;
        var recvTs = time.GetUtcNow().ToUnixTimeMilliseconds();
        string? source = null;
        try
        {
            List<TradeItem>? trades = null;
            if (options.Source != BackfillSource.Rest)
            {
                try
                {
                    trades = await venueDays.ArchiveDayAsync(spec.InstId, day, recvTs, token);
                    source = "archive";
                }
                catch (ArchiveUnavailableException ex) when (options.Source == BackfillSource.Auto)
                {
                    _log.Information("{InstId} {Day:yyyy-MM-dd}: {Reason}; using REST history", spec.InstId, day, ex.Message);
                }
                catch (ArchiveUnavailableException ex)
                {
                    throw new BackfillDayException(ex.Message + _venue.Defaults.ArchiveDelayHint, ex);
                }
            }

            if (trades is null)
            {
                trades = await venueDays.RestDayAsync(spec.InstId, start, end, onPage, token);
                source = "rest";
            }

            onPage(trades.Count);
            var merged = merger.Merge(writer, spec, day, trades);
            return new BackfillDayResult(spec.InstId, day, BackfillOutcome.Done, source, trades.Count, merged.Added, merged.Existing, null, dayClock.Elapsed);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is BackfillDayException or RestRequestException or RateLimitedException or HttpRequestException
            or IOException or TaskCanceledException or InvalidDataException)
        {
            return new BackfillDayResult(spec.InstId, day, BackfillOutcome.Failed, source, 0, 0, 0, ex.Message, dayClock.Elapsed);
        }
    }
}
