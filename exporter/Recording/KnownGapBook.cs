using System.Globalization;
using Pipeline.Vault.State;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// The holes of one instrument that could not be proven filled (state <see cref="ExporterState.KnownGaps"/>).
/// A gap with ids closes when every id below its upper edge is settled (an open-ended one: when a later id
/// is contiguous, since everything traded during an outage has a lower id than what came after it); a gap
/// without ids (an outage before any id was known) cannot be closed by ids and stays listed.
/// </summary>
public sealed class KnownGapBook
{
    private readonly List<KnownGap> _gaps = [];

    public IReadOnlyList<KnownGap> Gaps => _gaps;

    public int Count => _gaps.Count;

    public void Restore(IReadOnlyList<KnownGap>? gaps)
    {
        _gaps.Clear();
        if (gaps is not null)
        {
            _gaps.AddRange(gaps);
        }
    }

    /// <summary>Adds a gap unless one with the same id bounds is listed (then its time span and reason are updated).</summary>
    public void Add(KnownGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        for (var i = 0; i < _gaps.Count; i++)
        {
            if (gap.AfterTradeId is not null && _gaps[i].AfterTradeId == gap.AfterTradeId && _gaps[i].BeforeTradeId == gap.BeforeTradeId)
            {
                _gaps[i] = _gaps[i] with { ToTs = Math.Max(_gaps[i].ToTs, gap.ToTs), Reason = gap.Reason };
                return;
            }
        }

        _gaps.Add(gap);
    }

    /// <summary>Drops the gaps that every id up to <paramref name="contiguous"/> being settled closes; returns how many.</summary>
    public int CloseThrough(long contiguous)
    {
        if (_gaps.Count == 0)
        {
            return 0;
        }

        return _gaps.RemoveAll(g => Id(g.AfterTradeId) is { } after &&
            (Id(g.BeforeTradeId) is { } before ? contiguous >= before - 1 : contiguous > after));
    }

    /// <summary>A REST catch-up from the last contiguous id reached the newest trade: every open-ended gap is filled.</summary>
    public int CloseOpenEnded() => _gaps.RemoveAll(g => g.AfterTradeId is not null && g.BeforeTradeId is null);

    public static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static long? Id(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
