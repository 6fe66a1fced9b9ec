namespace Pipeline.Vault.Micro;

/// <summary>The kind of a <c>book_perps</c> line.</summary>
public enum BookRecordType
{
    /// <summary>The whole book (REST depth or the WebSocket's first message): it replaces whatever was known.</summary>
    Snapshot,

    /// <summary>Changed levels since the previous line; applies only to the book its <see cref="BookRecord.PrevSeq"/> names.</summary>
    Update,

    /// <summary>The book is unknown from here until the next snapshot, and why (a sequence gap, a checksum mismatch, a reconnect).</summary>
    Resync,
}
