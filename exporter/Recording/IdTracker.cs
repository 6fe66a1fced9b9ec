namespace Pipeline.Exporter.Recording;

/// <summary>
/// Exactly-once bookkeeping for one instrument's consecutive trade ids. <see cref="Contiguous"/> is the
/// id up to which every id has been written; ids written above it (a reordered neighbour arrived first,
/// or a live id jump) are kept in a small pending set until the hole below them closes. So an id is a
/// duplicate when it is ≤ Contiguous or pending; the file need not be sorted, but every id is in it once.
/// Aggregated items (OKX trades, count &gt; 1) cover the id range [Id−count+1, Id].
/// In steady state (ids in order) nothing is allocated.
/// </summary>
public sealed class IdTracker
{
    private readonly Dictionary<long, (long End, long Ts)> _pendingByStart = [];
    private readonly HashSet<long> _pendingEnds = [];

    /// <summary>False until the first id (or a restored state) sets the baseline.</summary>
    public bool HasBaseline { get; private set; }

    /// <summary>Every id ≤ this was written.</summary>
    public long Contiguous { get; private set; }

    /// <summary>Event time of the trade at <see cref="Contiguous"/> (0 when unknown).</summary>
    public long ContiguousTs { get; private set; }

    public int PendingCount => _pendingByStart.Count;

    /// <summary>Highest id written (≥ Contiguous).</summary>
    public long Highest { get; private set; }

    /// <summary>The lowest pending start (the upper edge of the hole), or null without a hole.</summary>
    public long? HoleEnd
    {
        get
        {
            if (_pendingByStart.Count == 0)
            {
                return null;
            }

            var min = long.MaxValue;
            foreach (var start in _pendingByStart.Keys)
            {
                min = Math.Min(min, start);
            }

            return min;
        }
    }

    /// <summary>Event time of the pending item starting at <paramref name="start"/> (0 when none).</summary>
    public long PendingTs(long start) => _pendingByStart.TryGetValue(start, out var entry) ? entry.Ts : 0;

    public void Restore(long contiguous, long contiguousTs)
    {
        HasBaseline = true;
        Contiguous = contiguous;
        ContiguousTs = contiguousTs;
        Highest = Math.Max(Highest, contiguous);
    }

    public bool IsDuplicate(long first, long last)
    {
        if (!HasBaseline)
        {
            return false;
        }

        if (last <= Contiguous)
        {
            return true;
        }

        if (_pendingByStart.Count == 0)
        {
            return false;
        }

        if (_pendingEnds.Contains(last) || _pendingByStart.ContainsKey(first))
        {
            return true;
        }

        // An aggregated range overlapping a pending one (rare: mixed REST rows and aggregates).
        if (first != last || _pendingByStart.Count < 64)
        {
            foreach (var (start, (end, _)) in _pendingByStart)
            {
                if (first <= end && last >= start)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Records a written (non-duplicate) item.</summary>
    public void Add(long first, long last, long ts)
    {
        if (!HasBaseline)
        {
            HasBaseline = true;
            Contiguous = first - 1;
        }

        Highest = Math.Max(Highest, last);
        if (first <= Contiguous + 1)
        {
            Contiguous = last;
            ContiguousTs = ts;
            if (_pendingByStart.Count > 0)
            {
                Advance();
            }

            return;
        }

        _pendingByStart[first] = (last, ts);
        _pendingEnds.Add(last);
    }

    /// <summary>
    /// Declares ids up to <paramref name="through"/> settled (REST confirmed they do not exist);
    /// returns how many ids were skipped.
    /// </summary>
    public long SkipThrough(long through)
    {
        if (through <= Contiguous)
        {
            return 0;
        }

        var skipped = through - Contiguous;
        foreach (var (start, (end, _)) in _pendingByStart)
        {
            if (start <= through)
            {
                skipped -= Math.Min(end, through) - start + 1;
            }
        }

        // Pending entries inside the skipped range were written; keep their ends as the new edge.
        var newContiguous = through;
        var newTs = ContiguousTs;
        foreach (var start in _pendingByStart.Keys.Where(s => s <= through).ToList())
        {
            var (end, ts) = _pendingByStart[start];
            _pendingByStart.Remove(start);
            _pendingEnds.Remove(end);
            if (end >= newContiguous)
            {
                newContiguous = end;
                newTs = ts;
            }
        }

        Contiguous = newContiguous;
        ContiguousTs = newTs;
        Advance();
        return Math.Max(0, skipped);
    }

    private void Advance()
    {
        while (_pendingByStart.Remove(Contiguous + 1, out var next))
        {
            _pendingEnds.Remove(next.End);
            Contiguous = next.End;
            ContiguousTs = next.Ts;
        }
    }
}
