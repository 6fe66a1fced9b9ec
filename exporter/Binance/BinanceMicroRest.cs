using System.Text.Json;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Parses the Binance USD-M REST answers the microstructure recorder needs (PROTOCOL.md "Microstructure"):
/// <c>GET /fapi/v1/depth</c> into a book snapshot (seq = <c>lastUpdateId</c>) and <c>GET /fapi/v1/openInterest</c> into
/// a derivatives record (channel <c>openInterest</c>). Both return false with the reason on an error answer or a
/// malformed body; nothing is guessed.
/// </summary>
public static class BinanceMicroRest
{
    /// <summary>The <c>channel</c> of an open-interest record.</summary>
    public const string OpenInterestChannel = "openInterest";

    /// <summary>
    /// A depth answer <c>{"lastUpdateId","E","T","bids","asks"}</c> as a snapshot of <paramref name="instId"/> (the answer
    /// does not name its symbol). Ts is the transaction time <c>T</c> (else the output time <c>E</c>, else the receive
    /// time: the snapshot is then placed when it arrived).
    /// </summary>
    public static bool TryParseDepthSnapshot(ReadOnlySpan<byte> body, string instId, long recvTs, out BookRecord? snapshot, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(instId);
        snapshot = null;
        if (!TryRoot(body, "depth", out var root, out problem))
        {
            return false;
        }

        if (!BinanceMicroFields.TryLong(root, "lastUpdateId", out var lastUpdateId, out problem) ||
            !BinanceMicroFields.TryLevels(root, "bids", zeroSize: false, out var bids, out problem) ||
            !BinanceMicroFields.TryLevels(root, "asks", zeroSize: false, out var asks, out problem))
        {
            problem = "depth: " + problem;
            return false;
        }

        var ts = BinanceMicroFields.TryLong(root, "T", out var t, out _) && t > 0 ? t
            : BinanceMicroFields.TryLong(root, "E", out var e, out _) && e > 0 ? e : recvTs;
        snapshot = new BookRecord
        {
            Exchange = BinanceVenue.Name, InstId = instId, Type = BookRecordType.Snapshot, Ts = ts, Seq = lastUpdateId,
            Bids = bids, Asks = asks, RecvTs = recvTs, Src = "rest",
        };
        return true;
    }

    /// <summary>An openInterest answer <c>{"openInterest","symbol","time"}</c>; open interest is in the base asset.</summary>
    public static bool TryParseOpenInterest(ReadOnlySpan<byte> body, long recvTs, out DerivativesRecord? record, out string? problem)
    {
        record = null;
        if (!TryRoot(body, "openInterest", out var root, out problem))
        {
            return false;
        }

        if (!BinanceMicroFields.TryString(root, "symbol", out var symbol, out problem) ||
            !BinanceMicroFields.TryDecimal(root, "openInterest", positive: false, out var oi, out problem) ||
            !BinanceMicroFields.TryLong(root, "time", out var ts, out problem))
        {
            problem = "openInterest: " + problem;
            return false;
        }

        if (ts == 0)
        {
            problem = "openInterest: time is 0";
            return false;
        }

        record = new DerivativesRecord
        {
            Exchange = BinanceVenue.Name, InstId = symbol, Ts = ts, Channel = OpenInterestChannel, OpenInterest = oi,
            RecvTs = recvTs, Src = "rest",
        };
        return true;
    }

    private static bool TryRoot(ReadOnlySpan<byte> body, string what, out JsonElement root, out string? problem)
    {
        problem = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            root = default;
            problem = what + ": invalid JSON: " + ex.Message;
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = what + ": the answer is not a JSON object";
            return false;
        }

        if (BinanceMicroFields.ErrorOf(root) is { } error)
        {
            problem = what + ": error answer " + error;
            return false;
        }

        return true;
    }
}
