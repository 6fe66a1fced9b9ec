using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;

namespace Pipeline.Calculators.Runner;

/// <summary>
/// The day files one calculator writes for one instrument. Opening truncates the recorded file back
/// to its committed length and (for a live run) removes later day files a crash may have started,
/// so output and state always agree.
/// </summary>
internal sealed class OutputFiles : IDisposable
{
    // A day of minute lines is ~0.5 MB; 64 KB keeps an incremental pass from allocating large buffers.
    private const int BufferSize = 64 * 1024;

    private readonly VaultLayout _layout;
    private readonly string _calc;
    private readonly string _exchange;
    private readonly string _instId;
    private readonly OutputPosition? _compacted;
    private JsonlAppender? _appender;
    private DateOnly _day;

    public OutputFiles(VaultLayout layout, string calc, string exchange, string instId, OutputPosition? recorded, bool removeLater)
    {
        _layout = layout;
        _calc = calc;
        _exchange = exchange;
        _instId = instId;
        if (removeLater)
        {
            foreach (var day in VaultLayout.ListDays(layout.DerivedInstrumentDir(calc, exchange, instId)))
            {
                if (recorded is null || day > recorded.Day)
                {
                    foreach (var path in new[] { layout.DerivedDay(calc, exchange, instId, day), layout.DerivedDayParquet(calc, exchange, instId, day) })
                    {
                        if (File.Exists(path))
                        {
                            File.Delete(path);
                        }
                    }
                }
            }
        }

        if (recorded is not null)
        {
            _day = recorded.Day;
            var jsonl = layout.DerivedDay(calc, exchange, instId, recorded.Day);
            if (File.Exists(jsonl) || !File.Exists(layout.DerivedDayParquet(calc, exchange, instId, recorded.Day)))
            {
                _appender = JsonlAppender.Open(jsonl, recorded.Length, bufferSize: BufferSize);
            }
            else
            {
                _compacted = recorded; // a finished day that was compacted: nothing more goes into it
            }
        }
    }

    public OutputPosition? Position => _appender is null ? _compacted : new OutputPosition { Day = _day, Length = _appender.Length };

    /// <summary>The appender of <paramref name="day"/>; moving to a new day closes (and syncs) the previous one.</summary>
    public JsonlAppender For(DateOnly day)
    {
        if (_appender is not null && day == _day)
        {
            return _appender;
        }

        if (_compacted is not null && day == _day)
        {
            throw new InvalidOperationException($"{_calc} output for {day:yyyy-MM-dd} is compacted to Parquet and cannot be appended to; run recalc from that day");
        }

        if ((_appender is not null || _compacted is not null) && day < _day)
        {
            throw new InvalidOperationException($"{_calc} output went back from {_day} to {day}");
        }

        _appender?.Dispose();
        _appender = null;
        _day = day;
        // A rebuilt day replaces a compacted one: readers prefer Parquet, so the stale twin must go.
        var parquet = _layout.DerivedDayParquet(_calc, _exchange, _instId, day);
        if (File.Exists(parquet))
        {
            File.Delete(parquet);
        }

        _appender = JsonlAppender.Open(_layout.DerivedDay(_calc, _exchange, _instId, day), truncateTo: 0, bufferSize: BufferSize);
        return _appender;
    }

    public void Sync() => _appender?.Sync();

    public void Dispose() => _appender?.Dispose();
}
