using System.CommandLine;
using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Calc;

/// <summary>Options shared by <c>calc</c> and <c>recalc</c>: instrument selection and calculator settings.</summary>
internal static class CalcOptionsCli
{
    public static Option<string?> Exchange { get; } = new("--exchange") { Description = "okx or binance (default: every exchange in the vault)" };

    public static Option<string?> Inst { get; } = new("--inst") { Description = "Instrument ids, comma-separated (default: every instrument with raw data)" };

    public static Option<int?> LatenessMs { get; } = new("--lateness-ms") { Description = "Allowed lateness in ms past M+1m before minute M is final (default 2000)" };

    public static Option<int?> SessionHour { get; } = new("--session-hour") { Description = "UTC hour at which sessions reset (default 0)" };

    public static Option<int?> AdxPeriod { get; } = new("--adx-period") { Description = "ADX/DI/ATR period (default 14)" };

    public static Option<string?> Bands { get; } = new("--bands") { Description = "Band multipliers of sigma, comma-separated (default 1,2)" };

    public static Option<int?> OfiWindow { get; } = new("--ofi-window") { Description = "Minutes in the rolling OFI sum, ofiRolling (default 5)" };

    public static Option<int?> ZWindow { get; } = new("--z-window") { Description = "Minutes in the robust z-scores' baseline, ofiZ and divergenceZ (default 60)" };

    public static Option<decimal?> VpinBucket { get; } = new("--vpin-bucket") { Description = "VPIN bucket size in base units (default 10; about a day's volume / 50 suits most instruments)" };

    public static Option<int?> VpinBuckets { get; } = new("--vpin-buckets") { Description = "Buckets in VPIN's window (default 50)" };

    public static Option<decimal?> DepthBps { get; } = new("--depth-bps") { Description = "Book depth band around the mid in basis points (default 10)" };

    public static Option<int?> KyleWindow { get; } = new("--kyle-window") { Description = "Bars in Kyle's lambda regression (default 30)" };

    public static void AddTo(Command command, bool withSettings = true)
    {
        command.Options.Add(Exchange);
        command.Options.Add(Inst);
        if (withSettings)
        {
            command.Options.Add(LatenessMs);
            command.Options.Add(SessionHour);
            command.Options.Add(AdxPeriod);
            command.Options.Add(Bands);
            AddMicroSettings(command);
        }
    }

    /// <summary>The microstructure settings (and λ's window), also on <c>backtest</c> so its micro stage matches <c>calc</c>'s.</summary>
    public static void AddMicroSettings(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(OfiWindow);
        command.Options.Add(ZWindow);
        command.Options.Add(VpinBucket);
        command.Options.Add(VpinBuckets);
        command.Options.Add(DepthBps);
        command.Options.Add(KyleWindow);
    }

    /// <summary><paramref name="options"/> with the microstructure settings given on the command line, validated (exit 2).</summary>
    public static CalcOptions WithMicroSettings(CommandContext context, CalcOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options = options with
        {
            OfiWindowMinutes = context.Get(OfiWindow) ?? options.OfiWindowMinutes,
            RobustZMinutes = context.Get(ZWindow) ?? options.RobustZMinutes,
            VpinBucketVolume = context.Get(VpinBucket) ?? options.VpinBucketVolume,
            VpinBuckets = context.Get(VpinBuckets) ?? options.VpinBuckets,
            DepthBps = context.Get(DepthBps) ?? options.DepthBps,
            KyleWindow = context.Get(KyleWindow) ?? options.KyleWindow,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        return options;
    }

    public static CalcOptions Options(CommandContext context)
    {
        var options = new CalcOptions { Time = context.Time };
        if (context.Get(LatenessMs) is { } lateness)
        {
            options = options with { AllowedLateness = TimeSpan.FromMilliseconds(lateness) };
        }

        if (context.Get(SessionHour) is { } hour)
        {
            options = options with { SessionResetHour = hour };
        }

        if (context.Get(AdxPeriod) is { } period)
        {
            options = options with { AdxPeriod = period };
        }

        if (context.Get(Bands) is { } bands)
        {
            options = options with { BandMultipliers = ParseBands(bands) };
        }

        return WithMicroSettings(context, options);
    }

    public static IReadOnlyList<(string Exchange, string InstId)> Instruments(CommandContext context)
    {
        var exchange = CommonOptions.ExchangeFilter(context.Get(Exchange));
        var insts = CommonOptions.InstIds(context.Get(Inst));
        try
        {
            return CalculatorRunner.Instruments(context.Vault, exchange, insts);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }

    public static async Task PrintAsync(CommandContext context, CalcRunResult r)
    {
        var perCalc = string.Join("  ", r.Stages.Select(s => $"{s.Calc} {s.MinutesEmitted}"));
        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{r.Exchange}/{r.InstId}: {r.TradesRead} trades, minutes emitted: {perCalc}; late {r.LateTrades}, bad lines {r.BadLines}, foreign lines {r.ForeignLines}, duplicate trades {r.DuplicateTrades}; {r.Elapsed.TotalMilliseconds:0} ms"));
    }

    /// <summary>The <c>--bands</c> list ("1,2.5"): a usage error names an item that is not a positive number.</summary>
    public static IReadOnlyList<decimal> ParseBands(string text)
    {
        var list = new List<decimal>();
        foreach (var item in CommonOptions.List(text))
        {
            if (!decimal.TryParse(item, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m) || m <= 0)
            {
                throw new UsageException($"--bands: '{item}' is not a positive number");
            }

            list.Add(m);
        }

        return list.Count > 0 ? list : throw new UsageException("--bands: name at least one multiplier, e.g. 1,2");
    }
}
