namespace Pipeline.Jobs.Backtest.Csv;

/// <summary>
/// The CSV files hold lines that cannot be used: the import is refused as a whole (a backtest over
/// silently missing bars or trades would give wrong indicators). <see cref="Issues"/> lists the first
/// ones, <see cref="Count"/> says how many there are.
/// </summary>
public sealed class CsvImportException : Exception
{
    public CsvImportException(IReadOnlyList<CsvIssue> issues, long count)
        : base($"{count} bad CSV line(s); the first: {issues[0]}")
    {
        Issues = issues;
        Count = count;
    }

    public CsvImportException()
    {
        Issues = [];
    }

    public CsvImportException(string message)
        : base(message)
    {
        Issues = [];
    }

    public CsvImportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Issues = [];
    }

    public IReadOnlyList<CsvIssue> Issues { get; }

    public long Count { get; }
}
