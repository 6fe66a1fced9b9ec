using System.Text;
using Pipeline.Exporter.Okx;

namespace Pipeline.Exporter.Tests.Okx;

public sealed class OkxInstrumentsTests
{
    [Fact]
    public void ParseOkx_LinearInverseAndBadCtVal_RejectsOnlyTheBadOneNamingTheField()
    {
        var json = """
            {"code":"0","msg":"","data":[
             {"instType":"SWAP","instId":"BTC-USDT-SWAP","uly":"BTC-USDT","instFamily":"BTC-USDT","settleCcy":"USDT","ctVal":"0.01","ctMult":"1","ctValCcy":"BTC","ctType":"linear","state":"live"},
             {"instType":"SWAP","instId":"BTC-USD-SWAP","uly":"BTC-USD","instFamily":"BTC-USD","settleCcy":"BTC","ctVal":"100","ctMult":"1","ctValCcy":"USD","ctType":"inverse","state":"live"},
             {"instType":"SWAP","instId":"ETH-USDT-SWAP","uly":"ETH-USDT","instFamily":"ETH-USDT","settleCcy":"USDT","ctVal":"","ctMult":"1","ctValCcy":"ETH","ctType":"linear","state":"live"},
             {"instType":"SWAP","instId":"SOL-USDT-SWAP","uly":"SOL-USDT","instFamily":"SOL-USDT","settleCcy":"USDT","ctVal":"1","ctMult":"1","ctValCcy":"SOL","ctType":"quanto","state":"live"}
            ]}
            """;
        var (valid, rejected) = OkxInstruments.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(["BTC-USDT-SWAP", "BTC-USD-SWAP"], valid.Select(v => v.InstId));
        Assert.False(valid[0].IsInverse);
        Assert.True(valid[1].IsInverse);
        Assert.Equal("BTC", valid[1].BaseCcy);
        Assert.StartsWith("ctVal", rejected.Single(r => r.InstId == "ETH-USDT-SWAP").Error, StringComparison.Ordinal);
        Assert.StartsWith("ctType", rejected.Single(r => r.InstId == "SOL-USDT-SWAP").Error, StringComparison.Ordinal);
    }
}
