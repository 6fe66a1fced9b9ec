using System.Globalization;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Status;

namespace Pipeline.Jobs.Status;

/// <summary>
/// One instrument's recorded microstructure kind in <c>pipeline status</c>: days on disk, lines in them (JSONL or compacted)
/// and the newest event time, from the files through the status scan cache (<see cref="VaultStatusReader.ReadMicro"/>).
/// </summary>
public sealed record MicroStatus(string Exchange, string Kind, string InstId, int Days, long Lines, long? LastTs)
{
    public static IReadOnlyList<MicroStatus> Read(VaultLayout vault, string? exchange, IReadOnlySet<string> instIds)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(instIds);
        var result = new List<MicroStatus>();
        var reader = new VaultStatusReader(vault);
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
                    var (days, lines, lastTs) = reader.ReadMicro(kind, ex, instId);
                    result.Add(new MicroStatus(ex, MicroKinds.Name(kind), instId, days, lines, lastTs));
                }
            }
        }

        return result;
    }

    public string Text() =>
        $"{Exchange} {Kind} {InstId}: {Days} day{(Days == 1 ? string.Empty : "s")}, {Lines.ToString("N0", CultureInfo.InvariantCulture)} lines, last " +
        (LastTs is { } ts ? DateTimeOffset.FromUnixTimeMilliseconds(ts).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) : "-");
}
