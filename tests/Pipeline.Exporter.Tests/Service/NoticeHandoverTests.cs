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
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_Notice64008_NewConnectionSubscribesBeforeTheOldOneCloses()
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var connections = 0;
        long firstClosedAt = 0, secondSubscribedAt = 0;
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
                Interlocked.Exchange(ref secondSubscribedAt, Environment.TickCount64);
            }

            await Send(socket, """{"id":"sub1","event":"subscribe","arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"connId":"c"}""");

            var receive = Task.Run(async () =>
            {
                try
                {
                    while (socket.State == WebSocketState.Open)
                    {
                        var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
                        if (r.MessageType == WebSocketMessageType.Close)
                        {
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
            var sent = 0;
            var next = -1L;
            while (!receive.IsCompleted && sent < 400)
            {
                // Every connection streams the same id sequence by time (consecutive from where it joins):
                // overlapping connections send duplicates.
                var target = 1000 + ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - start) / 10);
                if (next < 0)
                {
                    next = number == 2 ? target - 20 : target; // the new connection repeats a little history
                }

                for (; next <= target; next++)
                {
                    var id = next;
                    await Send(socket, $$"""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"{{id}}","px":"90000.5","sz":"1","side":"buy","source":"0","ts":"{{start + ((id - 1000) * 10)}}"}]}""");
                    if (number == 1 && ++sent == 30)
                    {
                        await Send(socket, """{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"c"}""");
                    }
                }

                await Task.WhenAny(receive, Task.Delay(10));
            }

            await receive;
            if (number == 1)
            {
                Interlocked.Exchange(ref firstClosedAt, Environment.TickCount64);
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
        var service = new ExporterService(options, vault, TimeProvider.System, sink.Logger());
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var run = service.RunAsync(cts.Token);
            while (Interlocked.Read(ref firstClosedAt) == 0 && !cts.IsCancellationRequested)
            {
                await Task.Delay(50);
            }

            await Task.Delay(500); // some trades on the new connection
            await cts.CancelAsync();
            await run;
        }

        await app.StopAsync();
        Assert.Equal(2, connections);
        Assert.True(secondSubscribedAt > 0 && firstClosedAt >= secondSubscribedAt, "the old connection closed before the new one was subscribed");
        Assert.Contains(sink.Events, e => e.Text.Contains("64008", StringComparison.Ordinal));
        var report = new RawVerifier(vault).Verify(new VerifyOptions());
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.GapCount);
        Assert.True(report.Lines > 30, $"{report.Lines} lines");
        Assert.True(service.Recorders[0].Duplicates > 0); // the overlap was deduplicated
    }

    private static Task Send(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
}
