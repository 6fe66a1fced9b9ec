using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// Is a trade's event time plausible? Only plausible times may pick a day file or move a watermark.
/// A live trade must lie within <c>bound</c> of its receive time; a REST or archive trade may be old
/// (history), but not in the future beyond the bound, and not before <see cref="Floor"/>.
/// Two comparisons on the hot path; text only for a rejected trade.
/// </summary>
public static class EventTimeCheck
{
    /// <summary>2010-01-01: no exchange trade of a perpetual swap is older.</summary>
    public static readonly long Floor = TradeTime.DayStartMs(new DateOnly(2010, 1, 1));

    /// <summary>Null when plausible, else the reason (for the quarantine).</summary>
    public static string? Problem(in TradeItem item, long boundMs)
    {
        var ts = item.Ts;
        var recv = item.RecvTs;
        if (ts >= Floor && ts <= recv + boundMs && (item.Src != TradeSource.Ws || ts >= recv - boundMs))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"implausible event time: ts {ts} ({Describe(ts)}) against receive time {recv} ({Describe(recv)}); allowed {(item.Src == TradeSource.Ws ? "within" : "at most")} {TimeSpan.FromMilliseconds(boundMs)} {(item.Src == TradeSource.Ws ? "of it" : "after it")}, not before 2010");
    }

    /// <summary>An ISO time when the value is representable, else "out of range" (a ts of 1e18 must not throw here either).</summary>
    public static string Describe(long ms) =>
        ms is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : "out of range";
}
