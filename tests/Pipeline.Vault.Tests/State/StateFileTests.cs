using Pipeline.Vault.State;

namespace Pipeline.Vault.Tests.State;

public sealed class StateFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Cursor(string File, long Offset);

    [Fact]
    public void Read_Missing_ReturnsNull() =>
        Assert.Null(new StateFile<Cursor>(_dir.File("none.json")).Read());

    [Fact]
    public void Write_ThenRead_RoundTripsAndKeepsPreviousAsBak()
    {
        var state = new StateFile<Cursor>(_dir.File("s", "c.state.json"));
        state.Write(new Cursor("a", 1));
        state.Write(new Cursor("b", 2));
        Assert.Equal(new Cursor("b", 2), state.Read());
        Assert.Equal(new Cursor("a", 1), new StateFile<Cursor>(state.BackupPath).Read());
        Assert.False(File.Exists(state.TempPath));
    }

    [Fact]
    public void Read_LeftoverTempFromCrash_IsIgnored()
    {
        var state = new StateFile<Cursor>(_dir.File("c.json"));
        state.Write(new Cursor("good", 10));
        File.WriteAllText(state.TempPath, "{\"file\":\"torn"); // crash mid-write of the next state
        Assert.Equal(new Cursor("good", 10), state.Read());
        state.Write(new Cursor("next", 11));
        Assert.Equal(new Cursor("next", 11), state.Read());
    }

    [Fact]
    public void Read_Corrupt_ThrowsNamingFileAndBackup()
    {
        var state = new StateFile<Cursor>(_dir.File("c.json"));
        state.Write(new Cursor("a", 1));
        state.Write(new Cursor("b", 2));
        File.WriteAllText(state.Path, "{ not json");
        var ex = Assert.Throws<StateFileCorruptException>(() => state.Read());
        Assert.Contains(state.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(".bak", ex.Message, StringComparison.Ordinal);
    }
}
