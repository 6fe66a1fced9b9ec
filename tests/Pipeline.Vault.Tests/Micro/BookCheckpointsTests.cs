using System.Globalization;
using System.Text;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;
using static Pipeline.Vault.Tests.Micro.BookReconstructorTests;

namespace Pipeline.Vault.Tests.Micro;

/// <summary>
/// <see cref="BookCheckpoints"/>: a book started from a checkpoint equals the book replayed from its snapshot, at any
/// instant (resync windows stay unknown); a checkpoint built from bytes that have since changed is never used; a corrupt
/// index file is ignored with a warning and rebuilt. The reference is <see cref="BookReconstructor"/> without checkpoints.
/// </summary>
public sealed class BookCheckpointsTests
{
    private const string Okx = "okx";
    private const string Inst = "BTC-USDT-SWAP";

    /// <summary>
    /// A random book across midnight: updates changing 1–3 levels (some removing one), snapshots, and resyncs followed a
    /// little later by a snapshot; several lines share a millisecond. Deterministic for a seed.
    /// </summary>
    private static List<BookRecord> RandomDay(int seed, int lines, long startTs, long startSeq = 1000)
    {
        var random = new Random(seed);
        var records = new List<BookRecord>();
        var ts = startTs;
        var seq = startSeq;
        var bids = new SortedDictionary<int, string>();
        var asks = new SortedDictionary<int, string>();
        string Px(int cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        string Sz() => (random.Next(1, 400) / 20m).ToString(CultureInfo.InvariantCulture);
        BookRecord NewSnapshot()
        {
            bids.Clear();
            asks.Clear();
            for (var i = 0; i < 30; i++)
            {
                bids[10_000 - random.Next(1, 60)] = Sz();
                asks[10_000 + random.Next(1, 60)] = Sz();
            }

            seq += random.Next(1, 50);
            return Snapshot(ts, seq, [.. bids.Reverse().Select(l => new BookLevel(Px(l.Key), l.Value))], [.. asks.Select(l => new BookLevel(Px(l.Key), l.Value))]);
        }

        records.Add(NewSnapshot());
        var unknown = false;
        while (records.Count < lines)
        {
            ts += random.Next(0, 4) == 0 ? 0 : random.Next(1, 60);
            var roll = random.NextDouble();
            if (unknown)
            {
                records.Add(NewSnapshot());
                unknown = false;
            }
            else if (roll < 0.004)
            {
                records.Add(Resync(ts, $"gap: prevSeq {seq + 5} after seq {seq}"));
                ts += random.Next(1, 500);
                unknown = true;
            }
            else if (roll < 0.006)
            {
                records.Add(NewSnapshot());
            }
            else
            {
                var changedBids = new List<BookLevel>();
                var changedAsks = new List<BookLevel>();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var bid = random.Next(2) == 0;
                    var side = bid ? bids : asks;
                    var cents = bid ? 10_000 - random.Next(1, 80) : 10_000 + random.Next(1, 80);
                    var size = side.Count > 5 && random.Next(4) == 0 ? "0" : Sz();
                    if (size == "0")
                    {
                        side.Remove(cents);
                    }
                    else
                    {
                        side[cents] = size;
                    }

                    (bid ? changedBids : changedAsks).Add(new BookLevel(Px(cents), size));
                }

                var prev = seq;
                seq += random.Next(1, 4);
                records.Add(Update(ts, seq, prev, [.. changedBids], [.. changedAsks]));
            }
        }

        return records;
    }

    private static BookReconstructor Full(TestVault vault) => new(vault.Layout);

    private static BookReconstructor Fast(TestVault vault, int interval, List<string>? notices = null) => new(vault.Layout)
    {
        Checkpoints = new BookCheckpoints(vault.Layout) { Interval = interval, Notice = notices is null ? null : notices.Add },
    };

    private static void AssertSameBook(BookAt expected, BookAt actual)
    {
        Assert.Equal(expected.Unknown, actual.Unknown);
        Assert.Equal(expected.Book?.Bids(), actual.Book?.Bids());
        Assert.Equal(expected.Book?.Asks(), actual.Book?.Asks());
        Assert.Equal(expected.Book?.Seq, actual.Book?.Seq);
        Assert.Equal(expected.Book?.Ts, actual.Book?.Ts);
        Assert.Equal(expected.SnapshotTs, actual.SnapshotTs);
        Assert.Equal(expected.UpdatesApplied, actual.UpdatesApplied);
    }

    [Fact]
    public void At_FromCheckpoints_EqualsFullReplayAtRandomInstantsAcrossResyncsAndMidnight()
    {
        using var vault = TestVault.Create();
        var start = TestVault.T(TestVault.Day1, 23, 58, 30);
        var records = RandomDay(seed: 12, lines: 6000, start);
        vault.AppendMicro([.. records]);
        Assert.True(TradeDay(records[^1].Ts) > TestVault.Day1); // the book carries over midnight
        Assert.True(records.Count(r => r.Type == BookRecordType.Resync) >= 10);

        var random = new Random(7);
        var fast = Fast(vault, interval: 64);
        var fromCheckpoint = 0;
        var unknown = 0;
        for (var i = 0; i < 300; i++)
        {
            var at = random.Next(3) == 0 ? records[random.Next(records.Count)].Ts : random.NextInt64(start - 50, records[^1].Ts + 50);
            var expected = Full(vault).At(Okx, Inst, at);
            var actual = fast.At(Okx, Inst, at);

            AssertSameBook(expected, actual);
            unknown += actual.Book is null ? 1 : 0;
            if (actual.CheckpointFile is not null)
            {
                fromCheckpoint++;
                Assert.True(actual.UpdatesReplayed <= 64, $"replayed {actual.UpdatesReplayed} updates after a checkpoint taken every 64 lines");
            }
        }

        Assert.True(fromCheckpoint >= 200, $"only {fromCheckpoint} of 300 books started from a checkpoint");
        Assert.True(unknown > 0, "no instant fell into a resync window");
    }

    [Fact]
    public void Verify_WithBookIndex_BuildsTheIndexesTheReconstructionThenUsesWithoutReading()
    {
        using var vault = TestVault.Create();
        var start = TestVault.T(TestVault.Day1, 23, 58, 30);
        var records = RandomDay(seed: 21, lines: 4000, start);
        vault.AppendMicro([.. records]);
        var verifierIndex = new BookCheckpoints(vault.Layout) { Interval = 64 };

        var result = Assert.Single(new MicroVerifier(vault.Layout) { BookIndex = verifierIndex }.Verify(new VerifyOptions()), r => r.Kind == MicroKind.Book);

        Assert.True(result.IsClean, string.Join("; ", result.Problems));
        Assert.True(File.Exists(verifierIndex.IndexPath(Okx, Inst, TestVault.Day1)));
        Assert.True(File.Exists(verifierIndex.IndexPath(Okx, Inst, TestVault.Day1.AddDays(1))));
        var notices = new List<string>();
        var fast = new BookReconstructor(vault.Layout)
        {
            Checkpoints = new BookCheckpoints(vault.Layout) { Interval = 64, AnnounceBytes = 0, Notice = notices.Add },
        };
        var random = new Random(3);
        var fromCheckpoint = 0;
        for (var i = 0; i < 100; i++)
        {
            var at = random.NextInt64(start, records[^1].Ts + 50);
            var actual = fast.At(Okx, Inst, at);
            AssertSameBook(Full(vault).At(Okx, Inst, at), actual);
            fromCheckpoint += actual.CheckpointFile is null ? 0 : 1;
        }

        Assert.True(fromCheckpoint >= 60, $"only {fromCheckpoint} of 100 books started from a checkpoint");
        Assert.Empty(notices); // nothing indexed again: verify's indexes were valid, the book carried over midnight included
    }

    [Fact]
    public void At_FileChangedBeforeACheckpoint_StaleCheckpointNotUsed()
    {
        using var vault = TestVault.Create();
        var path = vault.AppendMicro([.. Numbered(T0, count: 200)])[0];
        var fast = Fast(vault, interval: 16);
        var end = T0 + 10_000;
        Assert.Equal("1", Level(fast.At(Okx, Inst, end), "90.010"));

        // Same length, one size changed in the 10th update: every checkpoint after it was built from other bytes.
        Replace(path, "[\"90.010\",\"1\"]", "[\"90.010\",\"7\"]");
        var after = fast.At(Okx, Inst, end);

        Assert.Equal("7", Level(after, "90.010"));
        AssertSameBook(Full(vault).At(Okx, Inst, end), after);
        Assert.NotNull(after.CheckpointFile); // rebuilt from the new bytes, then used
    }

    [Fact]
    public void At_FileGrown_ExtendsTheIndexAndUsesItsNewCheckpoints()
    {
        using var vault = TestVault.Create();
        var path = vault.AppendMicro([.. Numbered(T0, count: 200)])[0];
        var fast = Fast(vault, interval: 16);
        Assert.NotNull(fast.At(Okx, Inst, T0 + 10_000).CheckpointFile);
        var covered = new FileInfo(path).Length;

        vault.AppendMicro([.. Numbered(T0, count: 300).Skip(200)]);
        var end = T0 + 20_000;
        var after = fast.At(Okx, Inst, end);

        AssertSameBook(Full(vault).At(Okx, Inst, end), after);
        Assert.True(after.CheckpointOffset > covered, $"the checkpoint at {after.CheckpointOffset} is not in the appended part (from {covered})");
        Assert.True(after.UpdatesReplayed <= 16);
        Assert.Equal("1", Level(after, "90.299"));
    }

    [Fact]
    public void At_PreviousDayChanged_CheckpointCarriedOverMidnightNotUsed()
    {
        using var vault = TestVault.Create();
        var midnight = TestVault.T(TestVault.Day1.AddDays(1), 0, 0);
        var paths = vault.AppendMicro([.. Numbered(midnight - 150, count: 300)]); // snapshot and 149 updates on day 1, the rest on day 2
        var day1 = paths[0];
        Assert.NotEqual(day1, paths[^1]);
        var fast = Fast(vault, interval: 16);
        var end = midnight + 1_000;
        var before = fast.At(Okx, Inst, end);
        Assert.Equal(midnight - 150, before.SnapshotTs);
        Assert.Contains("2025-12-15", before.CheckpointFile, StringComparison.Ordinal); // day 2's checkpoint, built from day 1's book

        Replace(day1, "[\"90.010\",\"1\"]", "[\"90.010\",\"7\"]");
        var after = fast.At(Okx, Inst, end);

        Assert.Equal("7", Level(after, "90.010"));
        AssertSameBook(Full(vault).At(Okx, Inst, end), after);
    }

    [Fact]
    public void At_CorruptIndexFile_IgnoredWithAWarningAndRebuilt()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro([.. Numbered(T0, count: 200)]);
        var notices = new List<string>();
        var fast = Fast(vault, interval: 16, notices);
        var end = T0 + 10_000;
        var index = fast.Checkpoints!.IndexPath(Okx, Inst, TestVault.Day1);
        fast.At(Okx, Inst, end);
        Assert.True(File.Exists(index));

        foreach (var damage in new Action[]
                 {
                     () => File.WriteAllText(index, "not an index"),
                     () => { var bytes = File.ReadAllBytes(index); bytes[bytes.Length / 2] ^= 0x20; File.WriteAllBytes(index, bytes); }, // one bit in a level
                     () => { var bytes = File.ReadAllBytes(index); File.WriteAllBytes(index, bytes[..(bytes.Length - 100)]); },
                 })
        {
            damage();
            notices.Clear();
            var result = fast.At(Okx, Inst, end);

            AssertSameBook(Full(vault).At(Okx, Inst, end), result);
            Assert.Contains(notices, n => n.Contains("ignoring the corrupt book checkpoint index", StringComparison.Ordinal) && n.Contains(index, StringComparison.Ordinal));
            notices.Clear();
            Assert.NotNull(fast.At(Okx, Inst, end).CheckpointFile);
            Assert.Empty(notices); // rebuilt: read back without a warning
        }
    }

    [Fact]
    public void At_StateNotWritable_WarnsAndStillStartsFromTheCheckpointsItBuilt()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro([.. Numbered(T0, count: 200)]);
        Directory.CreateDirectory(vault.Layout.StateDir);
        File.WriteAllText(Path.Combine(vault.Layout.StateDir, "book-checkpoints"), "a file where the index folder would be");
        var notices = new List<string>();
        var end = T0 + 10_000;

        var result = Fast(vault, interval: 16, notices).At(Okx, Inst, end);

        AssertSameBook(Full(vault).At(Okx, Inst, end), result);
        Assert.NotNull(result.CheckpointFile);
        Assert.True(result.UpdatesReplayed <= 16);
        Assert.Contains(notices, n => n.Contains("could not save the book checkpoint index", StringComparison.Ordinal));
    }

    [Fact]
    public void At_CompactedDay_CheckpointsGiveTheSameBook()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro([.. RandomDay(seed: 3, lines: 400, T0)]);
        new VaultCompactor(vault.Layout, new CompactionOptions { Time = TestClock.At(TestVault.Day1.AddDays(2), TimeOnly.MinValue) }).Run();
        Assert.False(File.Exists(vault.Layout.MicroDayJsonl(MicroKind.Book, Okx, Inst, TestVault.Day1)));
        var fast = Fast(vault, interval: 32);

        var random = new Random(5);
        var used = 0;
        for (var i = 0; i < 20; i++)
        {
            var at = random.NextInt64(T0, T0 + 400 * 30);
            var actual = fast.At(Okx, Inst, at);
            AssertSameBook(Full(vault).At(Okx, Inst, at), actual);
            used += actual.CheckpointFile is null ? 0 : 1;
        }

        Assert.True(used >= 5, $"only {used} of 20 books started from a checkpoint of the Parquet day");
    }

    private static readonly long T0 = TestVault.T(TestVault.Day1, 10, 0);

    /// <summary>A snapshot, then updates each adding bid level 90.iii with size 1 (line i at <paramref name="from"/> + i ms).</summary>
    private static IEnumerable<BookRecord> Numbered(long from, int count)
    {
        yield return Snapshot(from, 1000, [new("89", "1")], [new("110", "1")]);
        for (var i = 1; i < count; i++)
        {
            yield return Update(from + i, 1000 + i, 999 + i, [new(string.Create(CultureInfo.InvariantCulture, $"90.{i:000}"), "1")], []);
        }
    }

    /// <summary>
    /// The fingerprints of the bytes a checkpoint was built from are XXH64 (seed 0): each segment's hash (the hasher
    /// reset between segments, an empty segment included) and a whole file's hash equal the values computed with the
    /// reference library (libxxhash 0.8.1).
    /// </summary>
    [Fact]
    public void Segments_AndFileHash_EqualTheReferenceXxh64()
    {
        var stripes = Enumerable.Range(0, 3).SelectMany(_ => Enumerable.Range(0, 256).Select(i => (byte)i)).Concat("xyz"u8.ToArray()).ToArray(); // 771 bytes
        var nobody = "Nobody inspects the spammish repetition"u8.ToArray();
        using var dir = new TempDir();
        var path = dir.File("segments.bin");
        File.WriteAllBytes(path, [.. "a"u8, .. "abc"u8, .. nobody, .. stripes]);
        var whole = dir.File("whole.bin");
        File.WriteAllBytes(whole, stripes);

        var hashes = BookCheckpointBuilder.Segments(path, 0, [1, 4, 4, 4 + nobody.Length, 4 + nobody.Length + stripes.Length]);

        Assert.Equal([0xD24EC4F1A98C6E5BUL, 0x44BC2CF5AD770999UL, 0xEF46DB3751D8E999UL, 0xFBCEA83C8A378BF1UL, 0xE921A1B45BD779F8UL], hashes!);
        Assert.Equal(0xE921A1B45BD779F8UL, BookCheckpointBuilder.FileHash(whole));
        Assert.Null(BookCheckpointBuilder.Segments(whole, 0, [stripes.Length + 1]));
    }

    private static string? Level(BookAt result, string px) => result.Book!.Bids().SingleOrDefault(l => l.Px == px)?.Sz;

    private static DateOnly TradeDay(long ts) => Pipeline.Vault.Trades.TradeTime.Day(ts);

    private static void Replace(string path, string from, string to)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        Assert.Equal(from.Length, to.Length);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{from} not in {path}");
        var length = new FileInfo(path).Length;
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length)), new UTF8Encoding(false));
        Assert.Equal(length, new FileInfo(path).Length);
    }
}
