namespace Pipeline.Jobs.Backtest.Csv;

/// <summary>A CSV line that cannot be used: file, 1-based line number and why.</summary>
public sealed record CsvIssue(string File, long Line, string Reason)
{
    public override string ToString() => $"{File}:{Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Reason}";
}
