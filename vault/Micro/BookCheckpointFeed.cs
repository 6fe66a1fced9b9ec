namespace Pipeline.Vault.Micro;

/// <summary>
/// The checkpoint index of one instrument's book days, built from lines another reader already reads
/// (<see cref="BookCheckpoints.Feed"/>): <see cref="BeginDay"/>, every line of that day file in order, <see cref="EndDay"/>,
/// day after day. A day whose stored index is valid is not replayed; a day the reader could not read whole is
/// <see cref="Abandon"/>ed (the next day then starts without a book). Indexing never fails the reader: a problem
/// stops it with a warning.
/// </summary>
public sealed class BookCheckpointFeed
{
    private readonly BookCheckpoints _owner;
    private readonly string _exchange;
    private readonly string _instId;
    private BookCheckpointDay? _previous;
    private Current? _day;
    private bool _failed;

    internal BookCheckpointFeed(BookCheckpoints owner, string exchange, string instId) => (_owner, _exchange, _instId) = (owner, exchange, instId);

    /// <summary>Starts a day: <paramref name="path"/> is the file the lines come from (JSONL, or Parquet rows as lines).</summary>
    public void BeginDay(DateOnly day, string path)
    {
        _day = null;
        if (_failed)
        {
            return;
        }

        try
        {
            var file = _owner.IndexPath(_exchange, _instId, day);
            var plan = _owner.Plan(_exchange, _instId, day, _previous, file, path);
            if (plan.Ready is { } ready)
            {
                _previous = ready;
                return;
            }

            var entries = new List<BookCheckpointEntry>(plan.Kept);
            _day = new Current(plan, new BookCheckpointReplay(day, plan.Parquet, _exchange, _instId, plan.Start, entries, _owner.Interval), entries, file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ex);
        }
    }

    /// <summary>One line of the day, at its offset (byte, or Parquet row).</summary>
    public void Line(ReadOnlySpan<byte> line, long offset) => _day?.Replay.Line(line, offset);

    /// <summary>The day's lines are all fed: its index is keyed to the file and saved.</summary>
    public void EndDay()
    {
        if (_day is not { } day)
        {
            return;
        }

        _day = null;
        try
        {
            var built = BookCheckpoints.Finish(day.Plan, day.Entries, day.Replay.End());
            _owner.Save(day.File, built);
            _previous = built;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ex);
        }
    }

    /// <summary>The day could not be read whole: nothing of it is saved, and the next day starts without a book.</summary>
    public void Abandon() => (_day, _previous) = (null, null);

    private void Fail(Exception ex)
    {
        _failed = true;
        (_day, _previous) = (null, null);
        _owner.Notice?.Invoke($"warning: book checkpoints of {_exchange} {_instId} not built ({ex.Message})");
    }

    private sealed record Current(BookCheckpoints.IndexPlan Plan, BookCheckpointReplay Replay, List<BookCheckpointEntry> Entries, string File);
}
