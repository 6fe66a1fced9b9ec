namespace Pipeline.Calculators.Raw;

/// <summary>
/// Remembers the last <see cref="Capacity"/> trade ids read (in file order) and the highest ever read,
/// so a repeated id is counted once. Trade ids of one instrument rise, so an id above the highest is new
/// at the cost of one comparison; only an id at or below it (a gap fill appended out of order, or a
/// repeat) is looked up in the window, a vectorised scan. Bounded: a repeat of an id older than the
/// window is not recognised. Allocates nothing per trade; saved in the bars_1m state so it survives restarts.
/// </summary>
public sealed class TradeIdWindow
{
    public const int DefaultCapacity = 8192;
    private readonly long[] _ring;
    private int _head;
    private int _count;

    public TradeIdWindow(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new long[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>The highest id read so far (-1: none).</summary>
    public long Max { get; private set; } = -1;

    /// <summary>Records <paramref name="id"/>; false when it is a repeat of an id in the window.</summary>
    public bool Add(long id)
    {
        if (id > Max)
        {
            Max = id;
        }
        else if (_ring.AsSpan(0, _count).Contains(id))
        {
            return false;
        }

        _ring[_head] = id;
        _head = _head + 1 == _ring.Length ? 0 : _head + 1;
        if (_count < _ring.Length)
        {
            _count++;
        }

        return true;
    }

    /// <summary>
    /// The window, oldest first, as runs of consecutive ids (for the state file): ids of one instrument
    /// mostly rise by one, so a full window is usually a handful of runs, not thousands of numbers.
    /// </summary>
    public List<TradeIdRun> Save()
    {
        var runs = new List<TradeIdRun>();
        var start = _count < _ring.Length ? 0 : _head;
        for (var i = 0; i < _count; i++)
        {
            var id = _ring[(start + i) % _ring.Length];
            if (runs.Count > 0 && runs[^1] is var last && last.First + last.Count == id)
            {
                runs[^1] = last with { Count = last.Count + 1 };
            }
            else
            {
                runs.Add(new TradeIdRun(id, 1));
            }
        }

        return runs;
    }

    /// <summary>Restores a saved window (oldest first; only the newest <see cref="Capacity"/> ids are kept).</summary>
    public void Load(IReadOnlyList<TradeIdRun>? runs, long max)
    {
        _head = 0;
        _count = 0;
        Max = max;
        if (runs is null)
        {
            return;
        }

        long total = 0;
        foreach (var run in runs)
        {
            total += Math.Max(0, run.Count);
        }

        var skip = Math.Max(0, total - _ring.Length); // the oldest ids beyond the capacity
        foreach (var run in runs)
        {
            for (long k = 0; k < run.Count; k++)
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                var id = run.First + k;
                _ring[_head] = id;
                _head = _head + 1 == _ring.Length ? 0 : _head + 1;
                _count++;
                Max = Math.Max(Max, id);
            }
        }
    }
}

/// <summary><see cref="Count"/> consecutive trade ids from <see cref="First"/>, in the order they were read.</summary>
public sealed record TradeIdRun(long First, long Count);
