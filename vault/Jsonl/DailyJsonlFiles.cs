using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Vault.Jsonl;

/// <summary>
/// Daily rotation of one writer's JSONL files: a record goes to the file of its own event-time UTC
/// day (<paramref name="pathForDay"/>), so a late trade from before midnight still lands in
/// yesterday's file. A few days stay open (the current one is cached); older ones are synced and closed.
/// </summary>
public sealed class DailyJsonlFiles(Func<DateOnly, string> pathForDay, TimeProvider time, ILogger log) : IDisposable
{
    public const int MaxOpen = 3;
    private readonly Dictionary<int, JsonlAppender> _open = [];
    private JsonlAppender? _current;
    private long _currentStart = long.MaxValue;
    private long _currentEnd = long.MinValue;

    /// <summary>The appender for the day of <paramref name="ts"/>.</summary>
    public JsonlAppender For(long ts)
    {
        if (ts >= _currentStart && ts < _currentEnd)
        {
            return _current!;
        }

        var day = TradeTime.Day(ts);
        if (!_open.TryGetValue(day.DayNumber, out var appender))
        {
            if (_open.Count >= MaxOpen)
            {
                var oldest = _open.Keys.Min();
                _open[oldest].Dispose();
                _open.Remove(oldest);
            }

            appender = JsonlAppender.Open(pathForDay(day), time: time, log: log);
            _open[day.DayNumber] = appender;
        }

        _current = appender;
        _currentStart = TradeTime.DayStartMs(day);
        _currentEnd = _currentStart + TradeTime.MsPerDay;
        return appender;
    }

    /// <summary>Days with an open file.</summary>
    public IReadOnlyCollection<DateOnly> OpenDays => _open.Keys.Select(DateOnly.FromDayNumber).ToList();

    /// <summary>Syncs files whose last sync is a second old; true when any did.</summary>
    public bool SyncIfDue()
    {
        var any = false;
        foreach (var appender in _open.Values)
        {
            any |= appender.SyncIfDue();
        }

        return any;
    }

    /// <summary>Flush and fsync every open file (before a state that refers to them is written).</summary>
    public void SyncAll()
    {
        foreach (var appender in _open.Values)
        {
            appender.Sync();
        }
    }

    public void Dispose()
    {
        foreach (var appender in _open.Values)
        {
            appender.Dispose();
        }

        _open.Clear();
        _current = null;
        _currentStart = long.MaxValue;
        _currentEnd = long.MinValue;
    }
}
