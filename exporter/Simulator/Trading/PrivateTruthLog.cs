using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipeline.Simulator.Trading;

/// <summary>
/// <c>{truth}/trading/{account}.jsonl</c>: every order event and fill of the account, one JSON line each, in order
/// (<c>{"ts","event","orderId","clientOrderId","instId","side","type","price","qty","status","filled"}</c> plus for a
/// fill <c>fillPx, fillQty, liquidity, fee, realizedPnl, position, entryPx, wallet</c>; a refused order
/// <c>{"ts","event":"refused","clientOrderId","instId","reason"}</c>). Numbers as exact decimal strings; no key material.
/// </summary>
public sealed class PrivateTruthLog : IDisposable
{
    private readonly Dictionary<string, StreamWriter> _writers = new(StringComparer.Ordinal);
    private readonly string _dir;

    public PrivateTruthLog(string truthDir)
    {
        _dir = Path.Combine(truthDir, "trading");
        Directory.CreateDirectory(_dir);
    }

    /// <summary>The file of one account's events.</summary>
    public static string PathOf(string truthDir, string account) => Path.Combine(truthDir, "trading", account + ".jsonl");

    public void Write(PrivateEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Line(e.Order.Account, w =>
        {
            w.WriteNumber("ts", e.Ts);
            w.WriteString("event", e.Kind.ToLowerInvariant());
            w.WriteNumber("orderId", e.Order.OrderId);
            w.WriteString("clientOrderId", e.Order.ClientOrderId);
            w.WriteString("instId", e.Order.InstId);
            w.WriteString("side", e.Order.Side.ToString().ToLowerInvariant());
            w.WriteString("type", e.Order.Type.ToString().ToLowerInvariant());
            w.WriteString("price", Text(e.Order.Price));
            w.WriteString("qty", Text(e.Order.Quantity));
            w.WriteString("status", e.Order.Status.ToString().ToLowerInvariant());
            w.WriteString("filled", Text(e.Order.FilledQuantity));
            if (e.Fill is { } f)
            {
                w.WriteNumber("tradeId", f.TradeId);
                w.WriteString("fillPx", Text(f.Price));
                w.WriteString("fillQty", Text(f.Quantity));
                w.WriteString("liquidity", f.Maker ? "maker" : "taker");
                w.WriteString("fee", Text(f.Fee));
                w.WriteString("realizedPnl", Text(f.RealizedPnl));
                w.WriteString("position", Text(e.Position.Quantity));
                w.WriteString("entryPx", Text(e.Position.EntryPrice));
                w.WriteString("wallet", Text(e.WalletBalance));
            }
        });
    }

    public void Refused(string account, long ts, PlaceRequest request, PlaceError reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        Line(account, w =>
        {
            w.WriteNumber("ts", ts);
            w.WriteString("event", "refused");
            w.WriteString("clientOrderId", request.ClientOrderId);
            w.WriteString("instId", request.InstId);
            w.WriteString("reason", reason.ToString());
        });
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
    }

    /// <summary>Decimal text without trailing zeros (exact).</summary>
    public static string Text(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private void Line(string account, Action<Utf8JsonWriter> body)
    {
        if (!_writers.TryGetValue(account, out var writer))
        {
            writer = new StreamWriter(PathOf(Path.GetDirectoryName(_dir)!, account), append: false, new UTF8Encoding(false));
            _writers[account] = writer;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        writer.Flush(); // a test or a verifier reads it while the simulator runs
    }
}
