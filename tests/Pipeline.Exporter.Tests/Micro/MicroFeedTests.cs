using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Micro;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary>
/// The recorder's connection against a real WebSocket server (Kestrel on loopback): subscribe frames go out, a gap
/// makes the venue's resubscribe frame go out on the same connection, a dropped connection writes a reconnect
/// resync and the next connection's snapshot starts the book again; no update is written across either break.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class MicroFeedTests : IDisposable
{
    private const string Inst = "BTC-USDT-SWAP";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Ts = Now.ToUnixTimeMilliseconds() - 1000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Book(BookRecordType type, long seq, long? prev) => LineFrameMicroProtocol.Frame("book", b => MicroLineWriter.Write(b, new BookRecord
    {
        Exchange = "okx", InstId = Inst, Type = type, Ts = Ts + seq, Seq = seq, PrevSeq = prev,
        Bids = [new BookLevel("100", seq.ToString(System.Globalization.CultureInfo.InvariantCulture))], RecvTs = Ts + seq, Src = "ws",
    }));

    [Fact]
    public async Task Run_GapThenDroppedConnection_ResubscribesAndResyncsWithoutAnUpdateAcrossEitherBreak()
    {
        var received = Channel.CreateUnbounded<string>();
        var connections = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/micro", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var number = Interlocked.Increment(ref connections);
            var buffer = new byte[4096];
            async Task<string> Receive()
            {
                var result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                await received.Writer.WriteAsync(text);
                return text;
            }

            async Task Send(byte[] frame) => await socket.SendAsync(frame, WebSocketMessageType.Text, true, http.RequestAborted);

            Assert.Equal("sub BTC-USDT-SWAP book", await Receive());
            if (number == 1)
            {
                await Send("ack"u8.ToArray());
                await Send(Book(BookRecordType.Snapshot, 10, null));
                await Send(Book(BookRecordType.Update, 11, 10));
                await Send(Book(BookRecordType.Update, 13, 12)); // 12 never came: a gap
                await Send(Book(BookRecordType.Update, 14, 13)); // held: the book is unknown
                Assert.Equal("resub BTC-USDT-SWAP", await Receive()); // the venue's snapshot request, on this connection
                await Send(Book(BookRecordType.Snapshot, 20, null));
                await Send(Book(BookRecordType.Update, 21, 20));
                await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "maintenance", http.RequestAborted);
                return;
            }

            await Send(Book(BookRecordType.Update, 31, 30)); // before the new snapshot: held, and a snapshot requested
            Assert.Equal("resub BTC-USDT-SWAP", await Receive());
            await Send(Book(BookRecordType.Snapshot, 31, null));
            await Send(Book(BookRecordType.Update, 32, 31));
            try
            {
                await Receive(); // hold the connection until the test stops the feed
                Assert.Fail("the feed sent more than its subscription and one snapshot request");
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var vault = new VaultLayout(_dir.Path);
        var time = new FakeTimeProvider(Now);
        var protocol = new LineFrameMicroProtocol { Endpoint = new Uri($"ws://{address.Authority}/micro") };
        var options = TestSpecs.Options("okx", Inst) with { InitialBackoff = TimeSpan.Zero };
        using var recorder = new MicroRecorder(protocol, [Inst], new HashSet<MicroKind> { MicroKind.Book }, vault, time);
        recorder.Open();
        var feed = new MicroFeed(protocol, recorder, [Inst], options, time);
        using var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);
        var path = vault.MicroDayJsonl(MicroKind.Book, "okx", Inst, TradeTime.Day(Ts));
        await Waits.UntilAsync(() => feed.Frames >= 10, Bound, "both connections' frames to be handled");
        await stop.CancelAsync();
        await run;
        recorder.Dispose();

        var lines = File.ReadAllLines(path).Select(l => MicroLineReader.Book(l, out _)!).ToList();
        Assert.Equal("S10 U11 R S20 U21 R S31 U32", string.Join(' ', lines.Select(l => l.Type switch
        {
            BookRecordType.Snapshot => $"S{l.Seq}",
            BookRecordType.Update => $"U{l.Seq}",
            _ => "R",
        })));
        Assert.Equal("gap: prevSeq 12 after seq 11", lines[2].Reason);
        Assert.StartsWith("reconnect: closed by server: 1001", lines[5].Reason, StringComparison.Ordinal);
        Assert.Equal(2, connections);
        Assert.Equal(1, feed.Reconnects);
        Assert.Equal(2, protocol.SnapshotRequests.Count); // the gap, and the diff before the second connection's snapshot
    }
}
