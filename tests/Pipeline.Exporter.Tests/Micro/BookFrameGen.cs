using System.Globalization;
using System.Text;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary>
/// Random book frames as the venues send them (OKX <c>books</c>, Binance combined <c>depthUpdate</c>), with the
/// variations the wire allows: ids and times as strings or numbers, keys in any order, extra keys and level elements,
/// 0 to <c>maxLevels</c> levels a side, sizes of "0". Seeded: a failure reproduces.
/// </summary>
internal sealed class BookFrameGen(int seed)
{
    private readonly Random _random = new(seed);

    public const string OkxInst = "BTC-USDT-SWAP";
    public const string BinanceInst = "BTCUSDT";

    public string Decimal(bool positive)
    {
        var integer = _random.Next(5) switch
        {
            0 => "0",
            1 => _random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
            _ => _random.NextInt64(1, 200_000).ToString(CultureInfo.InvariantCulture),
        };
        var text = _random.Next(3) == 0 ? integer : integer + "." + _random.Next(0, 100_000).ToString("D" + _random.Next(1, 6), CultureInfo.InvariantCulture);
        if (positive && text.All(c => c is '0' or '.'))
        {
            text = "1" + text;
        }

        return !positive && _random.Next(8) == 0 ? "0" : text;
    }

    private string Levels(int maxLevels, bool okx)
    {
        var n = _random.Next(0, maxLevels + 1);
        var levels = Enumerable.Range(0, n).Select(_ =>
            okx
                ? $"[\"{Decimal(true)}\",\"{Decimal(false)}\",\"0\",\"{_random.Next(1, 30)}\"]"
                : _random.Next(10) == 0 ? $"[\"{Decimal(true)}\",\"{Decimal(false)}\",\"x\"]" : $"[\"{Decimal(true)}\",\"{Decimal(false)}\"]");
        return "[" + string.Join(',', levels) + "]";
    }

    private static string Id(long value, bool quoted) => quoted ? $"\"{value}\"" : value.ToString(CultureInfo.InvariantCulture);

    private string Shuffle(List<string> fields) => string.Join(',', fields.OrderBy(_ => _random.Next()));

    /// <summary>An OKX books update (checksum 0 unless <paramref name="checksum"/>).</summary>
    public string Okx(long prev, long seq, long ts, int maxLevels = 5, long checksum = 0, bool vary = true)
    {
        var row = new List<string>
        {
            "\"asks\":" + Levels(maxLevels, okx: true), "\"bids\":" + Levels(maxLevels, okx: true),
            "\"ts\":" + Id(ts, !vary || _random.Next(4) != 0), "\"checksum\":" + checksum.ToString(CultureInfo.InvariantCulture),
            "\"prevSeqId\":" + Id(prev, vary && _random.Next(4) == 0), "\"seqId\":" + Id(seq, vary && _random.Next(4) == 0),
        };
        if (vary && _random.Next(5) == 0)
        {
            row.Add("\"extra\":{\"a\":[1,2]}");
        }

        var data = "[{" + (vary ? Shuffle(row) : string.Join(',', row)) + "}]";
        var top = new List<string> { $"\"arg\":{{\"channel\":\"books\",\"instId\":\"{OkxInst}\"}}", "\"action\":\"update\"", "\"data\":" + data };
        return "{" + (vary ? Shuffle(top) : string.Join(',', top)) + "}";
    }

    /// <summary>An OKX books snapshot.</summary>
    public static string OkxSnapshot(long seq, long ts, long checksum = 0) =>
        $"{{\"arg\":{{\"channel\":\"books\",\"instId\":\"{OkxInst}\"}},\"action\":\"snapshot\",\"data\":[{{\"asks\":[[\"90001\",\"5\",\"0\",\"1\"]],\"bids\":[[\"90000\",\"4\",\"0\",\"1\"]],\"ts\":\"{ts}\",\"checksum\":{checksum},\"prevSeqId\":-1,\"seqId\":{seq}}}]}}";

    /// <summary>A Binance combined-stream depthUpdate.</summary>
    public string Binance(long first, long last, long prev, long ts, int maxLevels = 20, bool vary = true)
    {
        var fields = new List<string>
        {
            "\"e\":\"depthUpdate\"", "\"E\":" + (ts + 3).ToString(CultureInfo.InvariantCulture), "\"T\":" + ts.ToString(CultureInfo.InvariantCulture),
            "\"U\":" + Id(first, false), "\"u\":" + Id(last, false), "\"pu\":" + Id(prev, false),
        };
        if (vary && _random.Next(5) == 0)
        {
            fields.Add("\"x\":[1,{\"y\":2}]");
        }

        fields.Add("\"s\":\"" + BinanceInst + "\"");
        fields.Add("\"b\":" + Levels(maxLevels, okx: false));
        fields.Add("\"a\":" + Levels(maxLevels, okx: false));
        return "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{" + (vary ? Shuffle(fields) : string.Join(',', fields)) + "}}";
    }

    /// <summary>One random edit of <paramref name="frame"/>: a byte replaced, removed or doubled, or a sign, exponent or escape put in.</summary>
    public byte[] Mutate(string frame)
    {
        var bytes = Encoding.UTF8.GetBytes(frame).ToList();
        var at = _random.Next(bytes.Count);
        switch (_random.Next(6))
        {
            case 0:
                bytes[at] = (byte)"0123456789.-e\"\\[]{},: axE"[_random.Next(25)];
                break;
            case 1:
                bytes.RemoveAt(at);
                break;
            case 2:
                bytes.Insert(at, bytes[at]);
                break;
            case 3:
                bytes.InsertRange(at, "-"u8.ToArray());
                break;
            case 4:
                bytes.InsertRange(at, "e5"u8.ToArray());
                break;
            default:
                bytes.InsertRange(at, "\\u0031"u8.ToArray());
                break;
        }

        return [.. bytes];
    }
}
