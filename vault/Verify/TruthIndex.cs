using System.Globalization;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// One instrument's ground truth within a time range, held as three sorted arrays (trade id, content hash,
/// byte offset of the truth line) rather than as objects; a trade whose hash differs is explained field by
/// field by re-reading its truth line.
/// </summary>
public sealed class TruthIndex
{
    private readonly string _path;
    private readonly long[] _ids;
    private readonly ulong[] _hashes;
    private readonly long[] _offsets;
    private readonly RawTradeParser _parser = new();

    private TruthIndex(string path, long[] ids, ulong[] hashes, long[] offsets)
    {
        _path = path;
        _ids = ids;
        _hashes = hashes;
        _offsets = offsets;
    }

    /// <summary>Truth trade ids in ascending order (a repeated id in the truth appears repeatedly).</summary>
    public IReadOnlyList<long> Ids => _ids;

    /// <summary>Reads the truth trades with <paramref name="from"/> &lt;= ts &lt;= <paramref name="to"/>; unusable truth lines go to <paramref name="problems"/>.</summary>
    public static TruthIndex Load(string path, long from, long to, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var entries = new List<(long Id, ulong Hash, long Offset)>();
        if (!File.Exists(path))
        {
            problems.Add($"no truth file {path}");
        }
        else
        {
            var parser = new RawTradeParser();
            using var reader = JsonlReader.Open(path);
            while (reader.TryReadLine(out var line, out var offset))
            {
                if (!parser.TryParse(line, out var trade, out var error) ||
                    !long.TryParse(trade!.TradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    problems.Add($"truth {Path.GetFileName(path)}@{offset}: {error ?? "tradeId is not numeric"}");
                    continue;
                }

                if (trade.Ts >= from && trade.Ts <= to)
                {
                    entries.Add((id, TradeContent.Hash(trade), offset));
                }
            }
        }

        entries.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new TruthIndex(path, [.. entries.Select(e => e.Id)], [.. entries.Select(e => e.Hash)], [.. entries.Select(e => e.Offset)]);
    }

    /// <summary>
    /// Compares one vault trade with the truth trade of the same id: null when the id is not in the truth
    /// range (missing/extra ids are judged elsewhere), else the differing fields (empty when equal).
    /// </summary>
    public IReadOnlyList<(string Field, string Expected, string Actual)>? Compare(RawTrade trade, long tradeId, bool explain)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var k = Array.BinarySearch(_ids, tradeId);
        if (k < 0)
        {
            return null;
        }

        if (_hashes[k] == TradeContent.Hash(trade))
        {
            return [];
        }

        if (!explain)
        {
            return [("content", "(truth)", "(differs)")];
        }

        var expected = ReadLine(_offsets[k]);
        var differences = TradeContent.Differences(expected, trade).ToList();
        return differences.Count > 0 ? differences : [("content", "(truth hash)", "(different hash, same fields)")];
    }

    private RawTrade ReadLine(long offset)
    {
        using var reader = JsonlReader.Open(_path, offset, bufferSize: 64 * 1024);
        if (reader.TryReadLine(out var line, out _) && _parser.TryParse(line, out var trade, out _))
        {
            return trade!;
        }

        throw new InvalidDataException($"truth {_path}@{offset} can no longer be read");
    }
}
