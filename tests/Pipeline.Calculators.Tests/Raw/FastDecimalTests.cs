using System.Text;
using Pipeline.Calculators.Raw;

namespace Pipeline.Calculators.Tests.Raw;

public sealed class FastDecimalTests
{
    [Theory]
    [InlineData("65000.1", "65000.1")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("-3", "-3")]
    [InlineData("0", "0")]
    [InlineData("1.50", "1.50")]
    [InlineData("123456789012345678.9", "123456789012345678.9")]
    [InlineData("0.0015384615384615384615384615", "0.0015384615384615384615384615")]
    [InlineData("99999999999999999999.5", "99999999999999999999.5")]
    public void TryParse_PlainText_ExactValueAndScale(string text, string expected)
    {
        Assert.True(FastDecimal.TryParse(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(expected, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e5")]
    [InlineData("1.2.3")]
    [InlineData("+1")]
    [InlineData(" 1")]
    public void TryParse_NotPlain_False(string text) =>
        Assert.False(FastDecimal.TryParse(Encoding.ASCII.GetBytes(text), out _));
}
