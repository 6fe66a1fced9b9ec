using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Runner;
using Pipeline.Calculators.Windows;
using Pipeline.Vault.State;

namespace Pipeline.Calculators.Tests.Contract;

/// <summary>
/// The battery every indicator runs (as in Stock.Indicators and Lean): each indicator's test class
/// derives from this and supplies the indicator, an independent baseline and its documented
/// quiet-minute behaviour. Checked for every indicator: the declared outputs are the line's fields;
/// null until the declared warm-up, a value from then on; quiet minutes; gaps around and beyond the
/// ring; session rollover at 00:00 UTC and another hour; restore from the persisted state
/// (byte-identical state, identical later output); and every value against the baseline.
/// </summary>
public abstract class IndicatorContractTests<TState>
    where TState : class
{
    /// <summary>The quiet-minute series: trading minutes [0, QuietFrom), quiet [QuietFrom, QuietTo), then trading.</summary>
    protected const int QuietFrom = 300;
    protected const int QuietTo = 420;

    private static readonly long Day1 = TestVault.T(TestVault.Day1, 0, 0);

    /// <summary>The indicator under test, with sessions resetting at <paramref name="sessionResetHour"/> UTC.</summary>
    protected abstract IBarIndicator<TState> Create(int sessionResetHour);

    /// <summary>
    /// The expected value of every declared output for each minute of <paramref name="series"/>, computed
    /// from its trades independently of the code under test (a naive recomputation or a reference
    /// implementation checked against published values).
    /// </summary>
    protected abstract IReadOnlyList<IReadOnlyDictionary<string, decimal?>> Baseline(IReadOnlyList<SeriesMinute> series, int sessionResetHour);

    /// <summary>Relative tolerance of the baseline comparison (0: exact decimals).</summary>
    protected virtual decimal Tolerance => 0m;

    /// <summary>The indicator's documented behaviour on the quiet minutes of <see cref="QuietSeries"/> (sessions at 00:00).</summary>
    protected abstract void AssertQuietMinutes(IReadOnlyList<JsonElement> lines);

    /// <summary>Trading from 00:00 (a session start) to minute 300, quiet to 420, trading to 480.</summary>
    protected static Series QuietSeries() => new Series(Day1).Trading(QuietFrom).Quiet(QuietTo - QuietFrom).Trading(60);

    /// <summary>
    /// About 1,070 bars over two days: trading, quiet stretches, a gap just beyond the ring, a gap over
    /// the day boundary, and session starts at 00:00 and 08:00 crossed while trading.
    /// </summary>
    protected static Series MixedSeries(int seed = 11) => new Series(Day1 + (6 * 60 * Naive.Minute), seed)
        .Trading(150).Quiet(70).Trading(200).Gap(RollingWindows.Ring + 5).Trading(120).Gap(300).Trading(400).Quiet(30).Trading(100);

    [Fact]
    public void Outputs_Declared_AreTheFieldsOfEveryLineInOrder()
    {
        var indicator = Create(0);
        Assert.NotEmpty(indicator.Outputs);
        Assert.All(indicator.Outputs, o => Assert.True(o.WarmUp.Minutes >= 1, $"{o.Field}: warm-up below one minute"));
        var declared = indicator.Outputs.Select(o => o.Field).ToList();
        foreach (var line in Run(indicator, QuietSeries().Bars()))
        {
            var fields = line.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(["minute", "exchange", "instId"], fields.Take(3));
            Assert.Equal(declared, fields.Skip(3));
        }
    }

    [Theory]
    [InlineData(0, 0)] // the series starts with a session: session outputs warm at once
    [InlineData(390, 8)] // starts 06:30, sessions at 08:00: session outputs null for 90 minutes
    public void Apply_EveryMinuteTrading_NullUntilTheDeclaredWarmUpThenAValue(int startMinuteOfDay, int sessionResetHour)
    {
        var indicator = Create(sessionResetHour);
        var series = new Series(Day1 + (startMinuteOfDay * Naive.Minute)).Trading(RollingWindows.Ring + 60).Minutes;
        var lines = Run(indicator, Bars(series));
        foreach (var output in indicator.Outputs)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var warm = i + 1 >= output.WarmUp.Minutes
                    && (!output.WarmUp.FromSessionStart || series[0].Minute <= Naive.SessionStart(series[i].Minute, sessionResetHour));
                var value = Value(lines[i], output.Field);
                Assert.True(warm == value is not null,
                    $"{indicator.Name}.{output.Field} (warm-up {output.WarmUp}) at bar {i}: {(warm ? "null after warm-up" : $"{value} before warm-up")}");
            }
        }
    }

    [Fact]
    public void Apply_QuietMinutes_AsDocumentedAndMatchTheBaseline()
    {
        var series = QuietSeries().Minutes;
        var indicator = Create(0);
        var lines = Run(indicator, Bars(series));
        Assert.Equal(series.Count, lines.Count);
        AssertQuietMinutes(lines);
        AssertMatchesBaseline(indicator, lines, Baseline(series, 0));
    }

    [Theory]
    [InlineData(-1)] // the ring still holds the oldest minute
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)] // longer than the ring and over the day boundary
    public void Apply_GapAroundAndBeyondTheRing_MatchesTheBaseline(int minutesBeyondRing)
    {
        var indicator = Create(0);
        var ring = Math.Max(RollingWindows.Ring, indicator.WarmUpMinutes());
        var series = new Series(Day1 + (10 * 60 * Naive.Minute)).Trading(ring + 20).Gap(ring + minutesBeyondRing).Trading(ring + 20).Minutes;
        AssertMatchesBaseline(indicator, Run(indicator, Bars(series)), Baseline(series, 0));
    }

    [Theory]
    [InlineData(0)] // the UTC day
    [InlineData(8)]
    public void Apply_SessionRollover_MatchesTheBaseline(int sessionResetHour)
    {
        // From 90 minutes before the reset: 80 trading, 20 quiet (the first minutes of the new session), 100 trading.
        var reset = Day1 + (sessionResetHour * 60 * Naive.Minute);
        var series = new Series(reset - (90 * Naive.Minute)).Trading(80).Quiet(20).Trading(100).Minutes;
        Assert.Equal(reset, Naive.SessionStart(series[90].Minute, sessionResetHour));
        Assert.NotEqual(reset, Naive.SessionStart(series[89].Minute, sessionResetHour));
        var indicator = Create(sessionResetHour);
        AssertMatchesBaseline(indicator, Run(indicator, Bars(series)), Baseline(series, sessionResetHour));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(59)]
    [InlineData(60)]
    [InlineData(239)]
    [InlineData(240)]
    [InlineData(600)]
    [InlineData(1069)]
    public void Restore_FromPersistedState_ByteIdenticalStateAndIdenticalLaterOutput(int split)
    {
        var indicator = Create(8);
        var bars = MixedSeries().Bars();
        Assert.InRange(split, 1, bars.Count - 1);
        var state = indicator.NewState();
        foreach (var bar in bars.Take(split))
        {
            Line(indicator, state, bar);
        }

        using var dir = new TempDir();
        var saved = Persist(dir.File("saved.state.json"), indicator, state);
        var restored = saved.Read()!.Indicator!;
        Assert.NotSame(state, restored);
        var resaved = Persist(dir.File("resaved.state.json"), indicator, restored);
        Assert.Equal(File.ReadAllBytes(saved.Path), File.ReadAllBytes(resaved.Path));

        for (var i = split; i < bars.Count; i++)
        {
            var expected = Line(indicator, state, bars[i]);
            var actual = Line(indicator, restored, bars[i]);
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"bar {i} after a restore at {split}:\n{Encoding.UTF8.GetString(expected)}{Encoding.UTF8.GetString(actual)}");
        }

        var end = Persist(dir.File("end.state.json"), indicator, state);
        var endRestored = Persist(dir.File("end-restored.state.json"), indicator, restored);
        Assert.Equal(File.ReadAllBytes(end.Path), File.ReadAllBytes(endRestored.Path));
    }

    [Theory]
    [InlineData(0, 11)]
    [InlineData(8, 11)]
    [InlineData(8, 29)]
    public void Apply_MixedSeries_EveryValueMatchesTheExternalBaseline(int sessionResetHour, int seed)
    {
        var indicator = Create(sessionResetHour);
        var series = MixedSeries(seed).Minutes;
        var valued = AssertMatchesBaseline(indicator, Run(indicator, Bars(series)), Baseline(series, sessionResetHour));
        Assert.Equal(indicator.Outputs.Select(o => o.Field).Order(StringComparer.Ordinal), valued.Order(StringComparer.Ordinal));
    }

    /// <summary>The value of <paramref name="field"/>: null, a decimal string or a JSON number.</summary>
    protected static decimal? Value(JsonElement line, string field)
    {
        var e = line.GetProperty(field);
        return e.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => decimal.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => e.GetDecimal(),
        };
    }

    private static List<BarRecord> Bars(IReadOnlyList<SeriesMinute> series) => Series.BarsOf(series);

    private static List<JsonElement> Run(IBarIndicator<TState> indicator, IEnumerable<BarRecord> bars)
    {
        var state = indicator.NewState();
        return [.. bars.Select(bar => JsonDocument.Parse(Line(indicator, state, bar)).RootElement.Clone())];
    }

    private static byte[] Line(IBarIndicator<TState> indicator, TState state, BarRecord bar)
    {
        var buffer = new ArrayBufferWriter<byte>();
        indicator.Apply(state, bar, buffer, TestVault.Exchange, TestVault.InstId);
        Assert.Equal((byte)'\n', buffer.WrittenSpan[^1]);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the state as the runner persists it (inside the stage state, through StateFile).</summary>
    private static StateFile<StageState<TState>> Persist(string path, IBarIndicator<TState> indicator, TState state)
    {
        var file = new StateFile<StageState<TState>>(path, syncDirectory: false);
        file.Write(new StageState<TState>
        {
            Calc = indicator.Name, Exchange = TestVault.Exchange, InstId = TestVault.InstId, Minutes = 1, Indicator = state,
        });
        return file;
    }

    /// <summary>Compares every declared field of every line with the baseline; returns the fields that had a value.</summary>
    private HashSet<string> AssertMatchesBaseline(IIndicator indicator, List<JsonElement> lines,
        IReadOnlyList<IReadOnlyDictionary<string, decimal?>> expected)
    {
        Assert.Equal(expected.Count, lines.Count);
        var declared = indicator.Outputs.Select(o => o.Field).Order(StringComparer.Ordinal).ToList();
        var valued = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(declared, expected[i].Keys.Order(StringComparer.Ordinal));
            foreach (var (field, e) in expected[i])
            {
                var a = Value(lines[i], field);
                var ok = (e, a) switch
                {
                    (null, null) => true,
                    ({ } ev, { } av) => Math.Abs(av - ev) <= Tolerance * Math.Max(1m, Math.Abs(ev)),
                    _ => false,
                };
                Assert.True(ok, $"{lines[i].GetProperty("minute").GetString()} (bar {i}) {field}: baseline {e?.ToString() ?? "null"}, got {a?.ToString() ?? "null"}");
                if (e is not null)
                {
                    valued.Add(field);
                }
            }
        }

        Assert.NotEmpty(valued);
        return valued;
    }
}
