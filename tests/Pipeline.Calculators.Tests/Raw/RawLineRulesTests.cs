using System.Text;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Raw;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Calculators.Tests.Raw;

/// <summary>
/// Issue 9 item 11: one rule decides which raw lines are trades. The calculators' scanner, verify's parser
/// and line reader classify every line identically, and one bad line is one problem: the rest goes on.
/// </summary>
public sealed class RawLineRulesTests
{
    private static readonly DateOnly Day = TestVault.Day1;
    private static readonly byte[] Exchange = "okx"u8.ToArray();
    private static readonly byte[] InstId = "BTC-USDT-SWAP"u8.ToArray();

    private static string Good(string px = "65000.1", string sz = "4", long? ts = null, string id = "900") =>
        RawTradeWriter.ToLine(TestVault.Trade(ts ?? TestVault.T(Day, 0, 0, 5), px, "0.04", "sell", id) with { Sz = sz }).TrimEnd('\n');

    /// <summary>(name, line bytes, expected verdict). Each bad line differs from a good one in one way.</summary>
    public static TheoryData<string, byte[], RawLineError> Lines()
    {
        var good = Good();
        byte[] NonUtf8()
        {
            var bytes = Encoding.UTF8.GetBytes(good.Replace("\"BTC\"", "\"BT\u00ffC\"", StringComparison.Ordinal));
            var i = Array.IndexOf(bytes, (byte)0xC3);
            bytes[i] = 0xFF; // a lone 0xFF: never valid UTF-8
            return bytes;
        }

        static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
        return new TheoryData<string, byte[], RawLineError>
        {
            { "writer line", B(good), RawLineError.None },
            { "keys reordered, spaces, escapes", B("{ \"src\":\"w\\u0073\", \"side\":\"buy\", \"qtyBase\":\"2\", \"px\":\"10.5\", \"ts\":1765670400000, \"tradeId\":\"7\", \"exchange\":\"okx\", \"instId\":\"BTC-USDT-SWAP\", \"sz\":\"2\", \"ctVal\":\"1\", \"ctMult\":\"1\", \"ctType\":\"linear\", \"ctValCcy\":\"BTC\", \"recvTs\":1765670400005, \"extra\":{\"a\":[1,2]} }"), RawLineError.None },
            { "non-UTF-8 byte", NonUtf8(), RawLineError.NotUtf8 },
            { "px 0", B(Good(px: "0")), RawLineError.BadPx },
            { "px 0.000", B(Good(px: "0.000")), RawLineError.BadPx },
            { "negative sz", B(Good(sz: "-4")), RawLineError.BadSz },
            { "38-digit price", B(Good(px: "12345678901234567890123456789012345678")), RawLineError.BadPx },
            { "29 digits that fit decimal", B(Good(px: "1.0000000000000000000000000001")), RawLineError.None },
            { "inverse qtyBase of 29 digits", B(good.Replace("\"qtyBase\":\"0.04\"", "\"qtyBase\":\"33333.333333333333333333333333\"", StringComparison.Ordinal)), RawLineError.None },
            { "29 digits past decimal's mantissa", B(Good(px: "99999.999999999999999999999999")), RawLineError.BadPx },
            { "29 decimals", B(Good(px: "0.00000000000000000000000000001")), RawLineError.BadPx },
            { "exponent", B(Good(px: "6.5e4")), RawLineError.BadPx },
            { "ts past 9999", B(Good(ts: 253402300800000)), RawLineError.BadTs },
            { "ts 1", B(Good(ts: 1)), RawLineError.BadTs },
            { "ts as string", B(good.Replace("\"ts\":1765670405000", "\"ts\":\"1765670405000\"", StringComparison.Ordinal)), RawLineError.BadTs },
            { "ts with leading zero", B(good.Replace("\"ts\":1765670405000", "\"ts\":01765670405000", StringComparison.Ordinal)), RawLineError.NotJson },
            { "missing src", B(good.Replace(",\"src\":\"ws\"", "", StringComparison.Ordinal)), RawLineError.MissingKey },
            { "side hold", B(good.Replace("\"sell\"", "\"hold\"", StringComparison.Ordinal)), RawLineError.BadSide },
            { "tradeId not numeric", B(Good(id: "a-1")), RawLineError.BadTradeId },
            { "tradeId past long", B(Good(id: "9999999999999999999")), RawLineError.BadTradeId },
            { "another instrument", B(good.Replace("BTC-USDT-SWAP", "ETH-USDT-SWAP", StringComparison.Ordinal)), RawLineError.ForeignInstId },
            { "another exchange", B(good.Replace("\"okx\"", "\"binance\"", StringComparison.Ordinal)), RawLineError.ForeignExchange },
            { "truncated", B(good[..^10]), RawLineError.NotJson },
            { "garbage after the object", B(good + " x"), RawLineError.NotJson },
            { "array", B("[1]"), RawLineError.NotJson },
            { "control character in a string", B(good.Replace("\"BTC\"", "\"B\tC\"", StringComparison.Ordinal)), RawLineError.NotJson },
        };
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void ScannerAndVerifyParser_SameLine_SameVerdict(string name, byte[] line, RawLineError expected)
    {
        var scanned = RawLineScanner.Scan(line, Exchange, InstId, out _);
        new RawTradeParser().TryParse(line, Exchange, InstId, out _, out _, out var parsed);
        Assert.True(expected == scanned, $"{name}: scanner says {scanned}, expected {expected}");
        Assert.True(expected == parsed, $"{name}: verify's parser says {parsed}, expected {expected}");
    }

    [Fact]
    public void CalcAndVerify_DayWithEveryBadLine_SameLinesRejectedOthersCounted()
    {
        using var v = TestVault.Create();
        var rows = Lines().Select(row => ((string)row[0], (byte[])row[1], (RawLineError)row[2])).ToList();
        var offsets = new List<(long Offset, RawLineError Expected)>();
        long offset = 0;
        var minute = 0;
        foreach (var (name, line, expected) in rows)
        {
            // Good lines each get their own id and minute; bad ones are written as they are.
            var bytes = expected == RawLineError.None
                ? Encoding.UTF8.GetBytes(Good(ts: TestVault.T(Day, 0, minute++, 1), id: (100 + minute).ToString(System.Globalization.CultureInfo.InvariantCulture)))
                : line;
            v.AppendRaw(Day, [.. bytes, (byte)'\n']);
            offsets.Add((offset, expected));
            offset += bytes.Length + 1;
        }

        ClosedDays.Mark(v.Layout, TestVault.Exchange, TestVault.InstId, Day, "test", DateTimeOffset.UnixEpoch);
        var r = v.Calc();
        var foreign = offsets.Count(o => o.Expected is RawLineError.ForeignExchange or RawLineError.ForeignInstId);
        var bad = offsets.Count(o => o.Expected != RawLineError.None) - foreign;
        Assert.Equal(offsets.Count(o => o.Expected == RawLineError.None), r.TradesRead);
        Assert.Equal(bad, r.BadLines);
        Assert.Equal(foreign, new RawToBarsStage(v.Layout, new(), TestVault.Exchange, TestVault.InstId).ReadState()!.ForeignLines);

        // verify's reader: each bad line is one problem at its offset (foreign lines are rows verify files as misplaced).
        var problems = new List<VerifyProblem>();
        var verifyRows = new List<VerifyRow>();
        new JsonlRawDayReader().Read(v.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day), verifyRows.Add, problems.Add);
        Assert.Equal(
            offsets.Where(o => o.Expected is not (RawLineError.None or RawLineError.ForeignExchange or RawLineError.ForeignInstId)).Select(o => o.Offset),
            problems.Select(p => p.Offset));
        Assert.Equal(r.TradesRead + foreign, verifyRows.Count);
    }
}
