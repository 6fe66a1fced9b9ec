using System.Text;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary><see cref="PlainDecimal.IsPositive"/> gives the exact parser's verdict (plain and above zero) on every short text.</summary>
public sealed class PlainDecimalTests
{
    [Theory]
    [InlineData("90000.1", true)]
    [InlineData("0.00000001", true)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("0.000", false)]
    [InlineData("-1", false)]
    [InlineData("+1", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1e5", false)]
    [InlineData("", false)]
    public void IsPositive_Examples(string text, bool expected) => Assert.Equal(expected, PlainDecimal.IsPositive(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void IsPositive_RandomTexts_SameVerdictAsExactDecimal()
    {
        var random = new Random(4);
        const string alphabet = "0000123456789..-+e ";
        for (var i = 0; i < 100_000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 29)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var bytes = Encoding.ASCII.GetBytes(text);
            var expected = ExactDecimal.TryParse(bytes, out var value) && value > 0;
            Assert.True(expected == PlainDecimal.IsPositive(bytes), text);
        }
    }
}
