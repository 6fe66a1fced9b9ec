using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Tests.Recording;

public sealed class IdTrackerTests
{
    [Fact]
    public void Add_InOrder_AdvancesContiguousWithoutPending()
    {
        var ids = new IdTracker();
        for (var id = 100; id < 110; id++)
        {
            Assert.False(ids.IsDuplicate(id, id));
            ids.Add(id, id, id * 10);
        }

        Assert.Equal(109, ids.Contiguous);
        Assert.Equal(1090, ids.ContiguousTs);
        Assert.Equal(0, ids.PendingCount);
        Assert.True(ids.IsDuplicate(105, 105));
    }

    [Fact]
    public void Add_NeighbourSwap_WritesBothOnceAndCloses()
    {
        var ids = new IdTracker();
        ids.Add(1, 1, 1);
        ids.Add(3, 3, 3); // 3 before 2
        Assert.Equal(1, ids.Contiguous);
        Assert.Equal(3, ids.HoleEnd);
        Assert.True(ids.IsDuplicate(3, 3));
        Assert.False(ids.IsDuplicate(2, 2));
        ids.Add(2, 2, 2);
        Assert.Equal(3, ids.Contiguous);
        Assert.Equal(0, ids.PendingCount);
        Assert.Null(ids.HoleEnd);
    }

    [Fact]
    public void SkipThrough_IdsRestDoesNotHave_SettlesTheHole()
    {
        var ids = new IdTracker();
        ids.Restore(10, 100);
        ids.Add(14, 14, 140);
        ids.Add(15, 15, 150);
        Assert.Equal(14, ids.HoleEnd);
        var skipped = ids.SkipThrough(13);
        Assert.Equal(3, skipped);
        Assert.Equal(15, ids.Contiguous);
        Assert.Equal(150, ids.ContiguousTs);
    }

    [Fact]
    public void IsDuplicate_AggregatedRangeOverlappingPending_IsDuplicate()
    {
        var ids = new IdTracker();
        ids.Restore(10, 0);
        ids.Add(20, 25, 0); // an aggregate covering 20..25 above a hole
        Assert.True(ids.IsDuplicate(22, 22));
        Assert.False(ids.IsDuplicate(11, 19));
        ids.Add(11, 19, 0);
        Assert.Equal(25, ids.Contiguous);
    }
}
