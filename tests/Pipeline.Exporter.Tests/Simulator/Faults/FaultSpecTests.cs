using Pipeline.Simulator.Faults;

namespace Pipeline.Exporter.Tests.Simulator.Faults;

public sealed class FaultSpecTests
{
    [Fact]
    public void Parse_AllFaults_Read()
    {
        var spec = FaultSpec.Parse("disconnect=5s, dup=0.01,reorder=2%,malformed=0.001,stall=500ms,rest429=0.5");
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Disconnect);
        Assert.Equal(0.01, spec.Dup);
        Assert.Equal(0.02, spec.Reorder, 10);
        Assert.Equal(0.001, spec.Malformed);
        Assert.Equal(TimeSpan.FromMilliseconds(500), spec.Stall);
        Assert.Equal(0.5, spec.Rest429);
        Assert.False(spec.IsNone);
    }

    [Fact]
    public void Parse_Empty_None()
    {
        Assert.True(FaultSpec.Parse(null).IsNone);
        Assert.True(FaultSpec.Parse(" ").IsNone);
    }

    [Theory]
    [InlineData("flood=1", "flood=1")]
    [InlineData("dup=2", "dup=2")]
    [InlineData("dup=abc", "dup=abc")]
    [InlineData("disconnect=5parsecs", "disconnect=5parsecs")]
    [InlineData("disconnect=-1s", "disconnect=-1s")]
    [InlineData("dup", "'dup'")]
    [InlineData("dup=0.1,dup=0.2", "dup=0.2")]
    public void Parse_BadItem_NamesIt(string text, string named)
    {
        var ex = Assert.Throws<FormatException>(() => FaultSpec.Parse(text));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SlidingWindowLimiter_RefusesPastTheLimit()
    {
        var limiter = new SlidingWindowLimiter(3, TimeSpan.FromMinutes(1), TimeProvider.System);
        Assert.True(limiter.TryAcquire());
        Assert.True(limiter.TryAcquire());
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
    }
}
