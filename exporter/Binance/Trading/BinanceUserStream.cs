using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Pipeline.Exporter.Trading;
using Serilog;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// The order venue's user data stream: one connection at a time read by a background loop into the venue's events
/// (<c>ORDER_TRADE_UPDATE</c> → order and fill updates, <c>ACCOUNT_UPDATE</c> → position updates), the listen key kept
/// alive every <see cref="BinanceVenueOptions.KeepAlive"/> on the <see cref="TimeProvider"/>, and a dropped stream, a
/// closed or expired key reconnected with backoff and reported as a <see cref="VenueStreamGap"/>.
/// <paramref name="sawOrder"/> hears every order id → client id pair the stream names.
/// </summary>
internal sealed class BinanceUserStream(
    BinanceOrderClient client, BinanceVenueOptions options, TimeProvider time, ChannelWriter<VenueEvent> events, Action<long, string> sawOrder)
    : IAsyncDisposable
{
    private static readonly ILogger Log = Serilog.Log.ForContext<BinanceUserStream>();
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _stop = new();
    private BinanceUserDataClient? _stream;
    private Task? _streamLoop;
    private Task? _keepAliveLoop;
    private string? _renewReason;
    private long _keepAlives;
    private long _reconnects;

    public long KeepAlivesSent => Interlocked.Read(ref _keepAlives);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>POST listenKey, connect, start the loops. Throws <see cref="BinanceApiException"/> (the key) or <see cref="WebSocketException"/> (the connection).</summary>
    public async Task StartAsync(CancellationToken token)
    {
        var key = await client.CreateListenKeyAsync(token).ConfigureAwait(false);
        _stream = await BinanceUserDataClient.ConnectAsync(StreamUri(key), token).ConfigureAwait(false);

        // Started inline: each runs to its first await, so the first keep-alive is due KeepAlive after this call returns.
        _streamLoop = StreamLoopAsync(_stop.Token);
        _keepAliveLoop = KeepAliveLoopAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _streamLoop, _keepAliveLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // The listen key is not deleted: it is the account's one key, and another process on the account may be reading it.
        if (Interlocked.Exchange(ref _stream, null) is { } stream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private Uri StreamUri(string listenKey) => BinanceUserDataClient.StreamUri(options.UserStream, options.UserStreamPath, listenKey);

    /// <summary>Reads the stream into the events; a drop (or an expired key) reconnects with backoff and writes a gap.</summary>
    private async Task StreamLoopAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                var stream = Volatile.Read(ref _stream)!;
                var frame = await stream.ReceiveFrameAsync(token).ConfigureAwait(false);
                if (frame is not null && !IsListenKeyExpired(frame))
                {
                    Dispatch(frame);
                    continue;
                }

                token.ThrowIfCancellationRequested();
                var since = client.Clock.NowMs();
                var reason = Interlocked.Exchange(ref _renewReason, null)
                    ?? (frame is null ? "user data stream dropped" : "listen key expired (listenKeyExpired)");
                Log.Warning("Binance user data stream lost: {Reason}; reconnecting", reason);
                await stream.DisposeAsync().ConfigureAwait(false);
                Volatile.Write(ref _stream, await ReconnectAsync(token).ConfigureAwait(false));
                Interlocked.Increment(ref _reconnects);
                events.TryWrite(new VenueStreamGap(reason, since));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
        // Catch-all on purpose: the loop's end must be logged, never an unobserved task exception.
        catch (Exception e)
        {
            Log.Error(e, "Binance user data stream loop ended");
        }
    }

    /// <summary>POST listenKey (the account's active key, or a new one when it lapsed) and connect; retried with doubling, jittered waits.</summary>
    private async Task<BinanceUserDataClient> ReconnectAsync(CancellationToken token)
    {
        var delay = options.ReconnectDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var key = await client.CreateListenKeyAsync(token).ConfigureAwait(false);
                var stream = await BinanceUserDataClient.ConnectAsync(StreamUri(key), token).ConfigureAwait(false);
                Log.Information("Binance user data stream reconnected after {Attempts} attempt(s)", attempt);
                return stream;
            }
            catch (Exception e) when (!token.IsCancellationRequested && e is BinanceApiException or WebSocketException or HttpRequestException)
            {
                // A revoked key keeps failing here; the executor's next REST call gets the Auth error and stops.
                Log.Warning("Binance user data stream reconnect {Attempt} failed: {Reason}; next in {Delay:F1} s",
                    attempt, e.Message, delay.TotalSeconds);
            }

#pragma warning disable CA5394 // jitter, not security
            var jittered = delay * (0.5 + (Random.Shared.NextDouble() / 2));
#pragma warning restore CA5394
            await Task.Delay(jittered, time, token).ConfigureAwait(false);
            delay = delay * 2 > MaxReconnectDelay ? MaxReconnectDelay : delay * 2;
        }
    }

    /// <summary>PUT listenKey every <see cref="BinanceVenueOptions.KeepAlive"/>; -1125 (the key is gone) forces a reconnect with a new key.</summary>
    private async Task KeepAliveLoopAsync(CancellationToken token)
    {
        try
        {
            // The next wait starts when the previous one ends, before the PUT, so a slow PUT does not stretch the schedule.
            var due = Task.Delay(options.KeepAlive, time, token);
            while (true)
            {
                await due.ConfigureAwait(false);
                due = Task.Delay(options.KeepAlive, time, token);
                try
                {
                    await client.KeepAliveListenKeyAsync(token).ConfigureAwait(false);
                    Interlocked.Increment(ref _keepAlives);
                }
                catch (BinanceApiException e) when (e.Code == -1125)
                {
                    Log.Warning("Binance listen key is gone (-1125); reconnecting the user data stream with a new key");
                    Volatile.Write(ref _renewReason, "listen key expired (-1125 on keep-alive)");
                    Volatile.Read(ref _stream)?.Abort();
                }
                catch (BinanceApiException e)
                {
                    Log.Warning("Binance listen key keep-alive failed: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>As <see cref="BinanceUserDataClient.IsListenKeyExpired"/>; a frame that is not JSON is not the expiry (<see cref="Dispatch"/> logs it).</summary>
    private static bool IsListenKeyExpired(byte[] frame)
    {
        try
        {
            return BinanceUserDataClient.IsListenKeyExpired(frame);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Dispatch(byte[] frame)
    {
        try
        {
            if (BinanceUserDataClient.TryParseOrderUpdate(frame, out var u))
            {
                sawOrder(u.OrderId, u.ClientOrderId);
                var side = BinanceVenueMapping.SideOf(u.Side);
                var orderId = u.OrderId.ToString(CultureInfo.InvariantCulture);
                events.TryWrite(new VenueOrderUpdate(new VenueOrder(
                    u.Symbol, u.ClientOrderId, orderId, side, BinanceVenueMapping.TypeOf(u.OrderType, u.TimeInForce), u.Price, u.OrigQty, u.CumulativeQty, u.AvgPrice,
                    BinanceVenueMapping.StatusOf(u.Status), u.TransactionTimeMs == 0 ? u.EventTimeMs : u.TransactionTimeMs, BinanceVenueMapping.ReasonOfStatus(u.Status))));
                if (u.IsFill)
                {
                    events.TryWrite(new VenueFillUpdate(new VenueFill(
                        u.Symbol, u.TradeId.ToString(CultureInfo.InvariantCulture), u.ClientOrderId, orderId, side, u.LastPrice, u.LastQty, u.IsMaker,
                        u.Fee, u.FeeAsset, u.TransactionTimeMs == 0 ? u.EventTimeMs : u.TransactionTimeMs)));
                }
            }
            else if (BinanceUserDataClient.TryParseAccountUpdate(frame, out var a))
            {
                foreach (var p in a.Positions.Where(p => p.PositionSide is "BOTH" or ""))
                {
                    events.TryWrite(new VenuePositionUpdate(new VenuePosition(
                        p.Symbol, p.Amount, p.Amount == 0 ? 0 : p.EntryPrice, p.UnrealizedPnl, a.TransactionTimeMs == 0 ? a.EventTimeMs : a.TransactionTimeMs)));
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            // One malformed frame must not end the stream; the next reconciliation settles what it said.
            Log.Warning(e, "Binance user data stream: a frame could not be read");
        }
    }
}
