using System.Globalization;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Execution.Live;

/// <summary>Writes calculator minute files (bars_1m, vwap, bands, adx) and raw trades the way the vault holds them.</summary>
internal sealed class VaultFixture(VaultLayout vault, string exchange = "okx", string instId = "BTC-USDT-SWAP")
{
    private int _tradeId = 5000;

    public void Minute(long minuteMs, decimal close, decimal vwap = 1000m, decimal sigma = 10m, decimal? adx = 15m, decimal move = 0m,
        bool bars = true, bool vwapFile = true, bool bandsFile = true, bool adxFile = true)
    {
        var head = $"{{\"minute\":\"{LedgerJson.MinuteIso(minuteMs)}\",\"exchange\":\"{exchange}\",\"instId\":\"{instId}\"";
        var day = TradeTime.Day(minuteMs);
        if (bars)
        {
            Append("bars_1m", day, $"{head},\"open\":\"{D(close)}\",\"close\":\"{D(close)}\",\"trades\":3,\"maxMove5sBps\":\"{D(move)}\"}}");
        }

        if (vwapFile)
        {
            Append("vwap", day, $"{head},\"vwap1m\":\"{D(close)}\",\"vwap1h\":\"{D(vwap)}\",\"vwap4h\":\"1\",\"vwapSession\":\"2\"}}");
        }

        if (bandsFile)
        {
            Append("bands", day, $"{head},\"sigma1h\":\"{D(sigma)}\",\"sigma4h\":\"1\",\"sigmaSession\":\"2\"}}");
        }

        if (adxFile)
        {
            Append("adx", day, $"{head},\"atr\":\"1\",\"adx\":{(adx is { } a ? "\"" + D(a) + "\"" : "null")}}}");
        }
    }

    /// <summary>Appends one raw trade line (plain appends: fixtures need no fsync); returns its tradeId.</summary>
    public string Trade(long ts, decimal px, string? tradeId = null)
    {
        var id = tradeId ?? (++_tradeId).ToString(CultureInfo.InvariantCulture);
        var path = vault.RawDayJsonl(exchange, instId, TradeTime.Day(ts));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, RawTradeWriter.ToLine(new RawTrade
        {
            Exchange = exchange, InstId = instId, TradeId = id, Ts = ts, Px = D(px), Sz = "1", Side = "sell",
            CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.01", RecvTs = ts + 5, Src = "ws",
        }));  // ToLine ends with its newline
        return id;
    }

    private void Append(string calc, DateOnly day, string line)
    {
        var path = vault.DerivedDay(calc, exchange, instId, day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, line + "\n");
    }

    private static string D(decimal value) => ExactDecimal.Format(value);
}
