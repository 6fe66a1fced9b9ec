using System.Text.Json;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Simulator ground truth on disk, defined once for its writer (the simulator's TruthWriter) and its reader
/// (<see cref="RawVerifier"/>): <c>{dir}/{exchange}/{instId}.jsonl</c> holds raw-trade lines, and
/// <c>{dir}/truth.json</c> (<see cref="TruthRange"/>) says which span of event time those files hold completely.
/// </summary>
public static class TruthLayout
{
    public const string RangeFileName = "truth.json";

    public const string TradesExtension = ".jsonl";

    /// <summary>The book faults the simulator applied, one JSON object a line (<see cref="BookFaultsPath"/>).</summary>
    public const string BookFaultsFileName = "book-faults.jsonl";

    public static string RangePath(string dir) => Path.Combine(dir, RangeFileName);

    /// <summary>
    /// One instrument's microstructure truth: <c>{dir}/{exchange}/{kind}/{instId}.jsonl</c> in the <see cref="MicroLineWriter"/>
    /// format (book: a snapshot line at the start, then every published update; recvTs = ts, src "ws", or "rest" for Binance
    /// open interest). Beside the trades file, in a folder per kind, so <see cref="Instruments"/> still lists trades only.
    /// </summary>
    /// <exception cref="VaultPathException">an invalid exchange or instId</exception>
    public static string MicroPath(string dir, MicroKind kind, string exchange, string instId) =>
        Path.Combine(dir, VaultNames.Exchange(exchange), MicroKinds.Name(kind), VaultNames.InstId(instId) + TradesExtension);

    /// <summary>The book faults applied (each a JSON object: exchange, instId, fault, ts, seq, streamSeq), in order.</summary>
    public static string BookFaultsPath(string dir) => Path.Combine(dir, BookFaultsFileName);

    /// <summary>
    /// What each simulated WebSocket connection was sent of the streams no venue replays (quotes, liquidations):
    /// <c>{dir}/deliveries/{n:D5}-{connId}.jsonl</c>, n numbering connections in the order of their first such record, a file only for a
    /// connection sent at least one such record. First line <c>{"conn","exchange"}</c>; then one line per record sent, in
    /// order: <c>{"kind":"quotes"|"liquidations","instId","line"}</c>, line being the record's 0-based line number in
    /// <see cref="MicroPath"/>; last line <c>{"end","clientCode"}</c> with end one of <see cref="DeliveryEnds"/> (no last
    /// line: the connection has not ended yet). Exact when no per-message fault (dup, reorder, malformed) is configured.
    /// </summary>
    public static string DeliveriesDir(string dir) => Path.Combine(dir, "deliveries");

    /// <summary>The delivery log of connection number <paramref name="n"/> (<see cref="DeliveriesDir"/>).</summary>
    public static string DeliveryPath(string dir, int n, string connId) =>
        Path.Combine(DeliveriesDir(dir), n.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + "-" + VaultNames.Name(connId) + TradesExtension);

    /// <summary>
    /// How a connection ended: "server-close" (the server sent its close frame after everything logged: a disconnect
    /// fault, idle or slow-consumer close; a client reading to the close got it all), "abort" (the server dropped it
    /// without a close: what was in flight may be lost), "client" (the client closed or vanished, e.g. was killed).
    /// </summary>
    public static readonly IReadOnlyList<string> DeliveryEnds = ["server-close", "abort", "client"];

    /// <summary>One instrument's truth file; exchange and instId must be valid vault names (no path tricks).</summary>
    /// <exception cref="VaultPathException">an invalid exchange or instId</exception>
    public static string TradesPath(string dir, string exchange, string instId) =>
        Path.Combine(dir, VaultNames.Exchange(exchange), VaultNames.InstId(instId) + TradesExtension);

    /// <summary>Exchanges with a truth folder (none when <paramref name="dir"/> is null or absent).</summary>
    public static IEnumerable<string> Exchanges(string? dir) =>
        dir is null || !Directory.Exists(dir)
            ? []
            : Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(VaultNames.IsExchange);

    /// <summary>Instruments with a truth file under <paramref name="exchange"/>.</summary>
    public static IEnumerable<string> Instruments(string? dir, string exchange)
    {
        var folder = dir is null ? null : Path.Combine(dir, exchange);
        return folder is null || !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*" + TradesExtension).Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Where(VaultNames.IsInstId);
    }

    /// <summary>The range, or null when there is no truth.json.</summary>
    /// <exception cref="JsonException">truth.json is not a range (not an object, no numeric startTs and endTs)</exception>
    /// <exception cref="InvalidDataException">truth.json is the JSON literal null</exception>
    public static TruthRange? TryReadRange(string dir)
    {
        var path = RangePath(dir);
        return File.Exists(path) ? Parse(File.ReadAllBytes(path)) : null;
    }

    /// <summary>The range; a missing truth.json is an error.</summary>
    public static TruthRange ReadRange(string dir) => Parse(File.ReadAllBytes(RangePath(dir)));

    /// <summary>Replaces truth.json atomically (written aside, then renamed), so a reader never sees half a range.</summary>
    public static void WriteRange(string dir, TruthRange range)
    {
        var path = RangePath(dir);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(range, TruthRange.JsonOptions));
        File.Move(temp, path, overwrite: true);
    }

    private static TruthRange Parse(byte[] json) =>
        JsonSerializer.Deserialize<TruthRange>(json, TruthRange.JsonOptions) ?? throw new InvalidDataException($"{RangeFileName} is null");
}
