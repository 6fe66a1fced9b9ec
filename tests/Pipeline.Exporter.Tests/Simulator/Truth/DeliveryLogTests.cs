using System.Text.Json;
using Pipeline.Exporter.Tests.Simulator.Micro;
using Pipeline.Simulator.Faults;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Simulator.Truth;

/// <summary>
/// The simulator's per-connection delivery log (<see cref="TruthLayout.DeliveriesDir"/>): what a recorder could have
/// received, the reference for "no quote or liquidation missing while connected".
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class DeliveryLogTests
{
    private const string Okx = "BTC-USDT-SWAP";
    private static readonly long Start = SimTestKit.PastStart.ToUnixTimeMilliseconds();

    [Fact]
    public async Task DeliveryLog_ServerClosesAConnection_ListsEveryQuoteItReceivedAsTruthLinesInOrderThenServerClose()
    {
        using var dir = new TempDir();
        var host = await SimTestKit.StartAsync(MicroChannelsTests.Options(dir.Path));
        var frames = new List<string>();
        try
        {
            using var okx = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
            await SimTestKit.SendAsync(okx, $$"""{"op":"subscribe","args":[{"channel":"bbo-tbt","instId":"{{Okx}}"}]}""");
            await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"event\":\"subscribe\"", StringComparison.Ordinal));
            frames.Clear();
            for (var s = 1; s <= 20; s++)
            {
                host.AdvanceTo(Start + (s * 1000));
            }

            var last = host.Context.Micro!.Read(Okx, e => e.LastQuoteSeq);
            await MicroClient.ReadUntilAsync(okx, frames, t => MicroClient.Parse(t).GetProperty("data")[0].GetProperty("seqId").GetInt64() == last);
            Assert.Equal(1, await host.Context.Faults.TriggerNowAsync(ConnectionFault.Disconnect, "okx"));
            await SimTestKit.DrainUntilClosedAsync(okx);
            await Waits.UntilAsync(() => host.Context.Closes.Count == host.Context.Connections, SimTestKit.Bound, "the server to end the connection");
        }
        finally
        {
            await host.DisposeAsync();
        }

        var log = File.ReadAllLines(Assert.Single(Directory.GetFiles(TruthLayout.DeliveriesDir(dir.Path))));
        Assert.Contains("\"exchange\":\"okx\"", log[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"end\":\"server-close\"", log[^1], StringComparison.Ordinal);
        var truth = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Quotes, "okx", Okx));
        var logged = log[1..^1].Select(l =>
        {
            using var json = JsonDocument.Parse(l);
            Assert.Equal("quotes", json.RootElement.GetProperty("kind").GetString());
            Assert.Equal(Okx, json.RootElement.GetProperty("instId").GetString());
            return MicroLineReader.Quote(truth[json.RootElement.GetProperty("line").GetInt32()], out _)!.Seq;
        }).ToList();
        var received = frames.Select(f => MicroClient.Parse(f).GetProperty("data")[0].GetProperty("seqId").GetInt64()).ToList();
        Assert.True(received.Count > 20, $"only {received.Count} quotes received");
        Assert.Equal(received, logged);
    }
}
