using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Service;

/// <summary>
/// OKX 64008 ("the connection will soon be closed for a service upgrade"): the exporter must open a new
/// connection and subscribe before it drops the old one, and lose or repeat nothing. The simulator does
/// not send notices, so a minimal OKX-shaped server stands in (real Kestrel WebSockets on loopback).
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class NoticeHandoverTests : IDisposable
{
    private const long FirstId = 1000;
    private const long NoticeAfterId = 1029; // the old connection sends 1000..1029, then the notice
    private const long RepeatFromId = 1010; // the new connection repeats 1010..1029 (20 duplicates), then 1030..
    private const long LastId = 1059;

    // Fixed event times: the trades lie a minute before the exporter's (fake, unmoving) clock, on no real day.
    private static readonly DateTimeOffset TradesFrom = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_Notice64008_NewConnectionSubscribesBeforeTheOldOneCloses()
    {
        var time = new FakeTimeProvider(TradesFrom.AddMinutes(1));
        var connections = 0;
        long order = 0, secondSubscribedAt = 0, firstClosedAt = 0; // steps of one shared sequence, not clock readings
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/api/v5/public/instruments", () => Results.Text(
            """{"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","instFamily":"BTC-USDT","ctVal":"0.01","ctMult":"1","ctValCcy":"BTC","ctType":"linear","state":"live"}]}""",
            "application/json"));
        app.MapGet("/api/v5/market/history-trades", () => Results.Text("""{"code":"0","msg":"","data":[]}""", "application/json"));
        app.Map("/ws/v5/business", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var number = Interlocked.Increment(ref connections);
            var buffer = new byte[4096];
            var request = await socket.ReceiveAsync(buffer, http.RequestAborted);
            Assert.Contains("trades-all", Encoding.UTF8.GetString(buffer, 0, request.Count), StringComparison.Ordinal);
            if (number == 2)
            {
                // Stamped before the ack goes out: the client may close the old connection as soon as it
                // reads the ack, before this handler runs again.
                Interlocked.Exchange(ref secondSubscribedAt, Interlocked.Increment(ref order));
            }

            await Send(socket, """{"id":"sub1","event":"subscribe","arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"connId":"c"}""");
            // Every connection streams the same id sequence (ts from the id): the new one repeats a little history.
            for (var id = number == 1 ? FirstId : RepeatFromId; id <= (number == 1 ? NoticeAfterId : LastId); id++)
            {
                await Send(socket, $$"""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"{{id}}","px":"90000.5","sz":"1","side":"buy","source":"0","ts":"{{Ts(id)}}"}]}""");
            }

            if (number == 1)
            {
                await Send(socket, """{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"c"}""");
            }

            // Until the client closes: answer its pings, then its close frame.
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if (number == 1)
                        {
                            Interlocked.Exchange(ref firstClosedAt, Interlocked.Increment(ref order));
                        }

                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        break;
                    }

                    if (r.Count == 4 && Encoding.ASCII.GetString(buffer, 0, 4) == "ping")
                    {
                        await Send(socket, "pong");
                    }
                }
            }
            catch (WebSocketException)
            {
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var vault = new VaultLayout(_dir.Path);
        var sink = new CollectingSink();
        var options = new ExporterOptions
        {
            Exchange = "okx", InstIds = ["BTC-USDT-SWAP"], OkxRest = address,
            OkxWsBusiness = new Uri($"ws://127.0.0.1:{address.Port}/ws/v5/business"), ReorderWindow = TimeSpan.FromMilliseconds(300),
        };
        var service = new ExporterService(options, vault, time, sink.Logger());
        using (var stop = new CancellationTokenSource())
        {
            var run = service.RunAsync(stop.Token);
            await Waits.UntilAsync(() => Interlocked.Read(ref firstClosedAt) != 0, Bound, "the old connection to be closed");
            await Waits.UntilAsync(() => service.Recorders.Count == 1 && service.Recorders[0].Trades >= LastId - FirstId + 1, Bound,
                $"every trade through {LastId} (the last ones only on the new connection) to be recorded");
            await stop.CancelAsync();
            await run.WaitAsync(Bound);
        }

        await app.StopAsync();
        Assert.Equal(2, connections);
        Assert.True(secondSubscribedAt > 0 && firstClosedAt > secondSubscribedAt, "the old connection closed before the new one was subscribed");
        Assert.Contains(sink.Events, e => e.Text.Contains("64008", StringComparison.Ordinal));
        var report = new RawVerifier(vault).Verify(new VerifyOptions());
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.GapCount);
        Assert.Equal(LastId - FirstId + 1, report.Lines);
        Assert.Equal(NoticeAfterId - RepeatFromId + 1, service.Recorders[0].Duplicates); // the overlap was deduplicated
    }

    private static long Ts(long id) => TradesFrom.ToUnixTimeMilliseconds() + ((id - FirstId) * 10);

    private static Task Send(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
}
