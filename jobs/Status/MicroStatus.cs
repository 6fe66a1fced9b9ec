using System.Buffers.Text;
using System.Globalization;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Status;

/// <summary>
/// One instrument's recorded microstructure kind in <c>pipeline status</c>: days on disk, lines in the JSONL days
/// and the event time of the newest line (read from the files, the truth, not from the recorder's state).
/// </summary>
public sealed record MicroStatus(string Exchange, string Kind, string InstId, int Days, long Lines, long? LastTs)
{
    private const int TailBytes = 64 * 1024;

    public static IReadOnlyList<MicroStatus> Read(VaultLayout vault, string? exchange, IReadOnlySet<string> instIds)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(instIds);
        var result = new List<MicroStatus>();
        foreach (var ex in vault.RawExchanges().Where(e => exchange is null || e == exchange))
        {
            foreach (var kind in MicroKinds.All)
            {
                var directory = vault.MicroExchangeDir(kind, ex);
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (var instId in Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>()
                    .Where(VaultNames.IsInstId).Where(i => instIds.Count == 0 || instIds.Contains(i)).Order(StringComparer.Ordinal))
                {
                    var days = VaultLayout.ListDays(vault.MicroInstrumentDir(kind, ex, instId));
                    var jsonl = days.Select(d => vault.MicroDayJsonl(kind, ex, instId, d)).Where(File.Exists).ToList();
                    var lines = jsonl.Sum(CountLines);
                    var lastTs = jsonl.Count == 0 ? null : NewestTs(jsonl[^1]);
                    result.Add(new MicroStatus(ex, MicroKinds.Name(kind), instId, days.Count, lines, lastTs));
                }
            }
        }

        return result;
    }

    public string Text() =>
        $"{Exchange} {Kind} {InstId}: {Days} day{(Days == 1 ? string.Empty : "s")}, {Lines.ToString("N0", CultureInfo.InvariantCulture)} lines, last " +
        (LastTs is { } ts ? DateTimeOffset.FromUnixTimeMilliseconds(ts).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) : "-");

    private static long CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        var buffer = new byte[1 << 16];
        long count = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return count;
    }

    /// <summary>The "ts" of the newest complete line (lines carry it after exchange and instId, and on book after type).</summary>
    private static long? NewestTs(string path)
    {
        var tail = MicroTail.Read(path, TailBytes);
        for (var i = tail.Count - 1; i >= 0; i--)
        {
            var line = tail[i].Bytes.AsSpan();
            var at = line.IndexOf(",\"ts\":"u8);
            if (at >= 0 && Utf8Parser.TryParse(line[(at + 6)..], out long ts, out _))
            {
                return ts;
            }
        }

        return null;
    }
}
