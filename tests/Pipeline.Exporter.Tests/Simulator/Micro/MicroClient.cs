using System.Net.WebSockets;
using System.Text.Json;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Simulator.Micro;

/// <summary>What a recorder does with the simulated micro frames, written here from the venues' documents (not from the simulator's code).</summary>
internal static class MicroClient
{
    /// <summary>Reads messages into <paramref name="into"/> until one matches <paramref name="stop"/> (that one included); fails after the bound.</summary>
    public static async Task ReadUntilAsync(ClientWebSocket socket, List<string> into, Func<string, bool> stop)
    {
        while (true)
        {
            var text = await SimTestKit.ReceiveAsync(socket, SimTestKit.Bound)
                ?? throw new Xunit.Sdk.XunitException($"the socket closed or went quiet after {into.Count} messages");
            into.Add(text);
            if (stop(text))
            {
                return;
            }
        }
    }

    public static JsonElement Parse(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static string? OkxChannel(JsonElement root) =>
        root.TryGetProperty("arg", out var arg) && !root.TryGetProperty("event", out _) && arg.TryGetProperty("channel", out var c) ? c.GetString() : null;

    /// <summary>An OKX <c>books</c> push as a book line (levels [px, sz, "0", orders]); checksum and prevSeqId as sent.</summary>
    public static (BookRecord Line, long PrevSeqId, long Checksum) OkxBook(JsonElement root, string instId)
    {
        var data = root.GetProperty("data")[0];
        var snapshot = root.GetProperty("action").GetString() == "snapshot";
        var line = new BookRecord
        {
            Exchange = "okx", InstId = instId, Type = snapshot ? BookRecordType.Snapshot : BookRecordType.Update,
            Ts = long.Parse(data.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            Seq = data.GetProperty("seqId").GetInt64(), PrevSeq = data.GetProperty("prevSeqId").GetInt64(),
            Bids = Levels(data.GetProperty("bids")), Asks = Levels(data.GetProperty("asks")), RecvTs = 0, Src = "ws",
        };
        return (line, data.GetProperty("prevSeqId").GetInt64(), data.GetProperty("checksum").GetInt64());
    }

    /// <summary>A Binance depthUpdate (raw stream payload) as a book line with U/u/pu.</summary>
    public static BookRecord BinanceDepth(JsonElement e) => new()
    {
        Exchange = "binance", InstId = e.GetProperty("s").GetString()!, Type = BookRecordType.Update, Ts = e.GetProperty("E").GetInt64(),
        FirstSeq = e.GetProperty("U").GetInt64(), Seq = e.GetProperty("u").GetInt64(), PrevSeq = e.GetProperty("pu").GetInt64(),
        Bids = Levels(e.GetProperty("b")), Asks = Levels(e.GetProperty("a")), RecvTs = 0, Src = "ws",
    };

    /// <summary>A REST depth answer as a snapshot line (seq = lastUpdateId).</summary>
    public static BookRecord BinanceSnapshot(JsonElement body, string symbol) => new()
    {
        Exchange = "binance", InstId = symbol, Type = BookRecordType.Snapshot, Ts = body.GetProperty("T").GetInt64(),
        Seq = body.GetProperty("lastUpdateId").GetInt64(), Bids = Levels(body.GetProperty("bids")), Asks = Levels(body.GetProperty("asks")),
        RecvTs = 0, Src = "rest",
    };

    /// <summary>The truth book (snapshot + updates from the truth file) as of update <paramref name="seq"/>.</summary>
    public static OrderBook TruthAt(string path, long seq)
    {
        var book = new OrderBook();
        foreach (var text in File.ReadLines(path))
        {
            var line = MicroLineReader.Book(text, out var error) ?? throw new Xunit.Sdk.XunitException(error);
            if (line.Seq > seq)
            {
                break;
            }

            book.Apply(line);
        }

        Assert.Equal(seq, book.Seq);
        return book;
    }

    public static void AssertSameBook(OrderBook expected, OrderBook actual)
    {
        Assert.Equal(expected.Bids(), actual.Bids());
        Assert.Equal(expected.Asks(), actual.Asks());
    }

    private static List<BookLevel> Levels(JsonElement array) =>
        [.. array.EnumerateArray().Select(l => new BookLevel(l[0].GetString()!, l[1].GetString()!))];
}
