using System.Text.Json;

namespace Pipeline.Vault.Micro;

/// <summary>
/// Parses the lines <see cref="MicroLineWriter"/> writes. A line that is not such a record (torn, garbage, a
/// required field missing or of the wrong type) gives null and a reason: readers skip it and say why.
/// </summary>
public static class MicroLineReader
{
    public static QuoteRecord? Quote(string line, out string? error) => Parse(line, out error, root => new QuoteRecord
    {
        Exchange = Str(root, "exchange"), InstId = Str(root, "instId"), Ts = Int(root, "ts"), Seq = Int(root, "seq"),
        BidPx = Str(root, "bidPx"), BidSz = Str(root, "bidSz"), AskPx = Str(root, "askPx"), AskSz = Str(root, "askSz"),
        RecvTs = Int(root, "recvTs"), Src = Str(root, "src"),
    });

    public static BookRecord? Book(string line, out string? error) => Parse(line, out error, root =>
    {
        var type = Str(root, "type") switch
        {
            "snapshot" => BookRecordType.Snapshot,
            "update" => BookRecordType.Update,
            "resync" => BookRecordType.Resync,
            var other => throw new FormatException($"type '{other}' is not snapshot, update or resync"),
        };
        return new BookRecord
        {
            Exchange = Str(root, "exchange"), InstId = Str(root, "instId"), Type = type, Ts = Int(root, "ts"),
            Seq = OptInt(root, "seq"), PrevSeq = OptInt(root, "prevSeq"), FirstSeq = OptInt(root, "firstSeq"),
            Bids = Levels(root, "bids"), Asks = Levels(root, "asks"), Checksum = OptInt(root, "checksum"),
            Reason = OptStr(root, "reason"), RecvTs = Int(root, "recvTs"), Src = Str(root, "src"),
        };
    });

    public static LiquidationRecord? Liquidation(string line, out string? error) => Parse(line, out error, root => new LiquidationRecord
    {
        Exchange = Str(root, "exchange"), InstId = Str(root, "instId"), Ts = Int(root, "ts"), Side = Str(root, "side"),
        Px = Str(root, "px"), Sz = Str(root, "sz"), AvgPx = OptStr(root, "avgPx"), FilledSz = OptStr(root, "filledSz"),
        Status = OptStr(root, "status"), PosSide = OptStr(root, "posSide"), BkLoss = OptStr(root, "bkLoss"),
        RecvTs = Int(root, "recvTs"), Src = Str(root, "src"),
    });

    public static DerivativesRecord? Derivatives(string line, out string? error) => Parse(line, out error, root => new DerivativesRecord
    {
        Exchange = Str(root, "exchange"), InstId = Str(root, "instId"), Ts = Int(root, "ts"), Channel = Str(root, "channel"),
        MarkPx = OptStr(root, "markPx"), IndexPx = OptStr(root, "indexPx"), FundingRate = OptStr(root, "fundingRate"),
        NextFundingTime = OptInt(root, "nextFundingTime"), OpenInterest = OptStr(root, "openInterest"),
        OpenInterestCcy = OptStr(root, "openInterestCcy"), RecvTs = Int(root, "recvTs"), Src = Str(root, "src"),
    });

    private static T? Parse<T>(string line, out string? error, Func<JsonElement, T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return null;
            }

            error = null;
            return read(doc.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            error = ex is JsonException ? "not JSON: " + ex.Message.Split('\n', 2)[0] : ex.Message;
            return null;
        }
    }

    private static string Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"{name} missing or not a string");

    private static string? OptStr(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"{name} is not a string");

    private static long Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new FormatException($"{name} missing or not an integer");

    private static long? OptInt(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new FormatException($"{name} is not an integer");

    private static List<BookLevel> Levels(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{name} is not an array");
        }

        var levels = new List<BookLevel>(array.GetArrayLength());
        foreach (var level in array.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() != 2 ||
                level[0].ValueKind != JsonValueKind.String || level[1].ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"{name}: a level is not [\"px\",\"sz\"]");
            }

            levels.Add(new BookLevel(level[0].GetString()!, level[1].GetString()!));
        }

        return levels;
    }
}
