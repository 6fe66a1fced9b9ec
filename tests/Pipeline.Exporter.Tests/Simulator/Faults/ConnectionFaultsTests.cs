using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator.Faults;

namespace Pipeline.Exporter.Tests.Simulator.Faults;

/// <summary>The scheduled connection faults fall due within half to one and a half of the configured interval, on the given clock.</summary>
public sealed class ConnectionFaultsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Disconnect_DueBetweenHalfAndOneAndAHalfIntervals(int seed)
    {
        var time = new FakeTimeProvider();
        var faults = new ConnectionFaults(FaultSpec.Parse("disconnect=300ms"), seed, time);
        time.Advance(TimeSpan.FromMilliseconds(149));
        Assert.False(faults.DisconnectDue);
        Assert.False(faults.StallDue);
        var left = faults.NextDeadline!.Value;
        Assert.InRange(left, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(301));

        time.Advance(left);
        Assert.True(faults.DisconnectDue);
        Assert.Equal(TimeSpan.Zero, faults.NextDeadline);
    }

    [Fact]
    public void Stall_DueAfterItsDraw_NotBefore()
    {
        var time = new FakeTimeProvider();
        var faults = new ConnectionFaults(FaultSpec.Parse("stall=3s"), 7, time);
        time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.False(faults.StallDue);
        time.Advance(TimeSpan.FromMilliseconds(3002));
        Assert.True(faults.StallDue);
        Assert.False(faults.DisconnectDue);
    }

    [Fact]
    public void None_NothingEverDue()
    {
        var time = new FakeTimeProvider();
        var faults = new ConnectionFaults(FaultSpec.None, 1, time);
        time.Advance(TimeSpan.FromDays(1));
        Assert.False(faults.Any);
        Assert.False(faults.DisconnectDue || faults.StallDue);
        Assert.Null(faults.NextDeadline);
    }
}
