namespace Pipeline.Exporter.Connection;

/// <summary>Why a connection ended, and whether it had been healthy (for the backoff).</summary>
public sealed record SessionEnd(string Reason, bool WasSubscribed, long Frames);
