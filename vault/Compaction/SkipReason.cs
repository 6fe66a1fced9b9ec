namespace Pipeline.Vault.Compaction;

/// <summary>Why a day was left as JSONL, as a kind a summary can count (the day's own reason says the details).</summary>
public enum SkipReason
{
    /// <summary>Today (UTC): the exporter is still writing it.</summary>
    Today,

    /// <summary>On or after --before.</summary>
    NotBefore,

    /// <summary>The exporter's watermark is not past the day's end: it may still append (a restart gap-fills from there).</summary>
    NotRecorded,

    /// <summary>A calculator or paper executor has not finished the day (it would read or append to the JSONL).</summary>
    ReaderBusy,

    /// <summary>A state file that decides the above could not be read.</summary>
    StateUnreadable,

    /// <summary>No complete line.</summary>
    Empty,

    /// <summary>Ends in a torn line the writer repairs when it reopens the file.</summary>
    TornLine,

    /// <summary>Holds lines that are not valid records: kept so nothing is lost.</summary>
    InvalidLines,
}
