using System.Threading.Channels;
using Pipeline.Exporter.Recording;
using Serilog;

namespace Pipeline.Exporter.GapFill;

/// <summary>
/// Fills id holes of one instrument from REST: after every (re)connect and on start ("everything after
/// the last recorded id", open-ended) and when the recorder sees a hole that reordering does not close
/// (bounded by the first id above it). Fetched trades go through the instrument's queue (src rest), so
/// dedup treats them like any other; a bounded fill ends with FillDone so the recorder can settle ids
/// REST does not have. Before any id is known, a (re)connect takes REST's newest trade as the baseline, so
/// an outage before the instrument's first live trade is fillable too. A failed catch-up is reported to the
/// recorder (a known gap in state) and retried with backoff until it succeeds.
/// </summary>
public sealed class GapFiller
{
    private readonly Channel<(long From, long? To)> _requests = Channel.CreateUnbounded<(long, long?)>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly IRestTradeSource _source;
    private readonly InstrumentPump _pump;
    private readonly int _instrument;
    private readonly ILogger _log;
    private readonly TimeSpan _settle;
    private readonly TimeProvider _time;
    private int _openEndedQueued;
    private TimeSpan _retryDelay;

    public GapFiller(IRestTradeSource source, InstrumentPump pump, int instrument, ILogger? log = null, TimeSpan? settle = null, TimeProvider? time = null)
    {
        _settle = settle ?? TimeSpan.Zero;
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(pump);
        _source = source;
        _pump = pump;
        _instrument = instrument;
        _log = log ?? Log.Logger;
        pump.Recorder.FillRequested = (from, to) => _requests.Writer.TryWrite((from, to));
    }

    public long Fills { get; private set; }

    /// <summary>Asks for everything after the last recorded id (coalesced while one is queued).</summary>
    public void RequestCatchUp()
    {
        if (Interlocked.Exchange(ref _openEndedQueued, 1) == 0)
        {
            _requests.Writer.TryWrite((long.MinValue, null));
        }
    }

    public void Complete() => _requests.Writer.TryComplete();

    public async Task RunAsync(CancellationToken token)
    {
        var instId = _pump.Recorder.InstId;
        try
        {
            await foreach (var (requestedFrom, to) in _requests.Reader.ReadAllAsync(token))
            {
                var from = requestedFrom;
                if (to is null)
                {
                    // Give the new connection a moment: its first trades show where the hole ends, and a
                    // bounded fill (requested by the recorder) is cheaper than paging from the newest trade.
                    await Task.Delay(_settle, _time, token);
                    Interlocked.Exchange(ref _openEndedQueued, 0);
                    from = _pump.Recorder.ContiguousId;
                    if (from < 0)
                    {
                        if (await TakeBaselineAsync(instId, token))
                        {
                            // The baseline is REST's newest trade now: nothing before it is claimed, so the
                            // catch-up is complete and time may move the watermark again.
                            await _pump.PostAsync(TradeItem.Control(TradeItemKind.CatchUpDone, 1), token);
                        }

                        continue;
                    }

                    if (_pump.Recorder.PendingShared > 0)
                    {
                        // The recorder asks for the hole itself (and holds the watermark until it is filled).
                        await _pump.PostAsync(TradeItem.Control(TradeItemKind.CatchUpDone, 1), token);
                        continue;
                    }
                }

                var ok = false;
                var threw = false;
                var posted = 0;
                try
                {
                    ok = await _source.FetchAsync(_instrument, from, to, async (batch, t) =>
                    {
                        foreach (var item in batch)
                        {
                            await _pump.PostAsync(item, t);
                        }

                        posted += batch.Count;
                    }, token);
                    Fills++;
                    if (posted > 0 || to is not null)
                    {
                        _log.Information("{InstId}: REST fill after id {From}{Upto} returned {Count} trades{Partial}", instId, from,
                            to is { } u ? $" up to {u}" : string.Empty, posted, ok ? string.Empty : " (history did not reach back to the start)");
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    throw;
                }
                // Catch-all on purpose: a failed fill is logged and retried later; the exporter keeps recording
                catch (Exception ex)
                {
                    _log.Error("{InstId}: REST fill after id {From} failed: {Error}", instId, from, ex.Message);
                    threw = true;
                }

                if (to is not null)
                {
                    // Only a complete fill may settle missing ids; otherwise the recorder asks again later.
                    await _pump.PostAsync(TradeItem.Control(TradeItemKind.FillDone, from, ok ? to.Value : 0), token);
                }
                else if (ok)
                {
                    _retryDelay = TimeSpan.Zero;
                    await _pump.PostAsync(TradeItem.Control(TradeItemKind.CatchUpDone, 1), token);
                }
                else
                {
                    // Unproven until filled. A REST error is retried here; a history that does not reach back
                    // leaves a hole below what was posted, which the recorder's bounded fills keep asking for.
                    await _pump.PostAsync(TradeItem.Control(TradeItemKind.CatchUpFailed, threw ? 1 : 0), token);
                    if (threw)
                    {
                        RetryLater(token);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// No id known yet: REST's newest trade now is the baseline (the recorder ignores it once it has one).
    /// True when a baseline was posted.
    /// </summary>
    private async Task<bool> TakeBaselineAsync(string instId, CancellationToken token)
    {
        try
        {
            if (await _source.LatestAsync(_instrument, token) is { } latest)
            {
                _retryDelay = TimeSpan.Zero;
                await _pump.PostAsync(TradeItem.Control(TradeItemKind.Baseline, latest.Id, latest.Ts), token);
                return true;
            }

            return false;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        // Catch-all on purpose: a failed baseline is logged and retried; the live stream may set one meanwhile
        catch (Exception ex)
        {
            _log.Warning("{InstId}: REST baseline (newest trade id) failed: {Error}; an outage before the first live trade would not be fillable until it succeeds",
                instId, ex.Message);
            RetryLater(token);
            return false;
        }
    }

    /// <summary>Asks for the catch-up (or baseline) again after a backoff of 1 s doubling up to a minute.</summary>
    private void RetryLater(CancellationToken token)
    {
        _retryDelay = TimeSpan.FromMilliseconds(Math.Clamp(_retryDelay.TotalMilliseconds * 2, 1000, 60_000));
        _ = RetryAsync(_retryDelay, token);
    }

    private async Task RetryAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, _time, token);
            RequestCatchUp();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
