using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Report;

/// <summary>
/// Results of a run computed from its fills (in memory from a backtest, or read back from
/// ledger/{strategy}/fills.jsonl): round trips, win rate, profit factor, net return after fees,
/// fees paid, exits by reason, average holding time, max drawdown and daily Sharpe. A position
/// with an entry fill but no exit yet is counted in <see cref="OpenPositions"/> and not in results.
/// Returns are simple (not compounded) sums in % of each trade's notional.
/// </summary>
public sealed record PerformanceReport
{
    public required IReadOnlyList<RoundTrip> Trades { get; init; }
    public int TradeCount => Trades.Count;
    public int Wins { get; init; }
    public int Losses { get; init; }

    /// <summary>Wins / trades in % (a win has net PnL &gt; 0); 0 without trades.</summary>
    public decimal WinRatePct { get; init; }

    /// <summary>Σ net of winners / |Σ net of losers|; null when there is no loser.</summary>
    public decimal? ProfitFactor { get; init; }

    public decimal GrossPnl { get; init; }
    public decimal FeesPaid { get; init; }
    public decimal NetPnl { get; init; }

    /// <summary>Σ per-trade net return, % of notional.</summary>
    public decimal NetReturnPct { get; init; }

    public required IReadOnlyDictionary<string, int> ExitsByReason { get; init; }
    public TimeSpan AverageHolding { get; init; }

    /// <summary>Largest fall of cumulative net PnL from a previous peak (quote, ≥ 0); the start counts as a peak of 0.</summary>
    public decimal MaxDrawdown { get; init; }

    /// <summary><see cref="MaxDrawdown"/> in % of notional.</summary>
    public decimal MaxDrawdownPct { get; init; }

    /// <summary>Mean / sample standard deviation of daily net returns, every UTC day from the first entry to the last exit; null below 2 days or with no variation.</summary>
    public decimal? DailySharpe { get; init; }

    /// <summary><see cref="DailySharpe"/> × √365 (crypto trades every day).</summary>
    public decimal? AnnualizedSharpe { get; init; }

    public required IReadOnlyList<EquityPoint> EquityCurve { get; init; }

    /// <summary>Currency of every PnL, fee and drawdown figure (USDT linear, BTC inverse); null when the fills did not record it.</summary>
    public string? PnlCcy { get; init; }

    /// <summary>Decimals worth showing of a PnL figure: 8 in a coin (inverse, satoshis), 4 in a quote currency.</summary>
    public int PnlDecimals => Trades.Any(t => t.Inverse) ? 8 : 4;

    /// <summary>A PnL figure rounded for a person, with its currency ("-3.7 USDT", "-0.00004115 BTC").</summary>
    public string Money(decimal value) => Round(value, PnlDecimals) + Ccy;
    public int OpenPositions { get; init; }

    public static PerformanceReport FromFills(IEnumerable<FillEvent> fills)
    {
        ArgumentNullException.ThrowIfNull(fills);
        var entries = new Dictionary<string, FillEvent>(StringComparer.Ordinal);
        var exits = new Dictionary<string, FillEvent>(StringComparer.Ordinal);
        var trips = new List<RoundTrip>();
        foreach (var fill in fills.OrderBy(f => f.Ts))
        {
            if (fill.Kind == "entry")
            {
                // A venue fills an order in parts: the entry fills of one position are one entry at their average price.
                entries[fill.PositionId] = entries.TryGetValue(fill.PositionId, out var earlier) && !exits.ContainsKey(fill.PositionId)
                    ? Merge(earlier, fill) with { Ts = earlier.Ts, Kind = "entry" }
                    : fill;
                continue;
            }

            if (!entries.TryGetValue(fill.PositionId, out var entry))
            {
                throw new InvalidDataException($"exit fill {fill.FillId} of position {fill.PositionId} has no entry fill");
            }

            // Exit fills add up until the entry's quantity is closed (one exit fill in paper; parts, or a take-profit
            // partly filled and a market exit for the rest, at a venue).
            var exit = exits.TryGetValue(fill.PositionId, out var before) ? Merge(before, fill) : fill;
            if (exit.Qty < entry.Qty)
            {
                exits[fill.PositionId] = exit;
                continue;
            }

            entries.Remove(fill.PositionId);
            exits.Remove(fill.PositionId);
            var isLong = entry.Side == "buy";
            var gross = ContractPnl.Gross(entry.Inverse, isLong, entry.Notional, entry.Px, exit.Px);
            var fees = entry.Fee + exit.Fee;
            trips.Add(new RoundTrip(exit.PositionId, isLong ? "long" : "short", entry.Ts, entry.Px, exit.Ts, exit.Px, exit.Kind,
                entry.Notional, gross, fees, gross - fees) { Inverse = entry.Inverse, PnlCcy = entry.FeeCcy });
        }

        return FromRoundTrips(trips, entries.Count);
    }

    /// <summary>Two fills of one position as one: quantities, notionals and fees summed, the price quantity-weighted; time and kind of the later.</summary>
    private static FillEvent Merge(FillEvent a, FillEvent b) => b with
    {
        Px = ((a.Px * a.Qty) + (b.Px * b.Qty)) / (a.Qty + b.Qty),
        Qty = a.Qty + b.Qty,
        Notional = a.Notional + b.Notional,
        Fee = a.Fee + b.Fee,
        FeeRate = a.Notional + b.Notional == 0 ? b.FeeRate : (a.Fee + b.Fee) / (a.Notional + b.Notional),
    };

    public static PerformanceReport FromRoundTrips(IReadOnlyList<RoundTrip> trips, int openPositions = 0)
    {
        ArgumentNullException.ThrowIfNull(trips);
        var wins = trips.Count(t => t.NetPnl > 0);
        var winSum = trips.Where(t => t.NetPnl > 0).Sum(t => t.NetPnl);
        var lossSum = -trips.Where(t => t.NetPnl < 0).Sum(t => t.NetPnl);
        var equity = new List<EquityPoint>(trips.Count);
        decimal cumulative = 0, peak = 0, drawdown = 0, drawdownPct = 0;
        foreach (var trip in trips.OrderBy(t => t.ExitTs))
        {
            cumulative += trip.NetPnl;
            equity.Add(new EquityPoint(trip.ExitTs, cumulative));
            peak = Math.Max(peak, cumulative);
            if (peak - cumulative > drawdown)
            {
                drawdown = peak - cumulative;
                drawdownPct = drawdown / trip.PnlNotional * 100m;
            }
        }

        var (daily, annual) = Sharpe(trips);
        return new PerformanceReport
        {
            Trades = trips,
            Wins = wins,
            Losses = trips.Count(t => t.NetPnl < 0),
            WinRatePct = trips.Count == 0 ? 0 : wins * 100m / trips.Count,
            ProfitFactor = lossSum == 0 ? null : winSum / lossSum,
            GrossPnl = trips.Sum(t => t.GrossPnl),
            FeesPaid = trips.Sum(t => t.Fees),
            NetPnl = cumulative,
            NetReturnPct = trips.Sum(t => t.NetReturnPct),
            ExitsByReason = trips.GroupBy(t => t.ExitReason, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            AverageHolding = trips.Count == 0 ? TimeSpan.Zero
                : TimeSpan.FromMilliseconds((double)(trips.Sum(t => (decimal)(t.ExitTs - t.EntryTs)) / trips.Count)),
            MaxDrawdown = drawdown,
            MaxDrawdownPct = drawdownPct,
            DailySharpe = daily,
            AnnualizedSharpe = annual,
            EquityCurve = equity,
            PnlCcy = trips.Select(t => t.PnlCcy).FirstOrDefault(c => c is not null),
            OpenPositions = openPositions,
        };
    }

    /// <summary>A few lines for a terminal.</summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        var exits = ExitsByReason.Count == 0 ? "none" : string.Join(", ", ExitsByReason.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
        return string.Join(Environment.NewLine,
            string.Create(c, $"trades {TradeCount} (wins {Wins}, losses {Losses}, open {OpenPositions}), win rate {Round(WinRatePct, 1)} %"),
            string.Create(c, $"net PnL {Money(NetPnl)} ({Round(NetReturnPct, 4)} % of notional), gross {Money(GrossPnl)}, fees {Money(FeesPaid)}"),
            string.Create(c, $"profit factor {(ProfitFactor is { } pf ? Round(pf, 2) : "n/a")}, max drawdown {Money(MaxDrawdown)} ({Round(MaxDrawdownPct, 2)} %), daily Sharpe {(DailySharpe is { } s ? Round(s, 3) : "n/a")}"),
            string.Create(c, $"exits: {exits}; average holding {AverageHolding:hh\\:mm\\:ss}"));
    }

    private string Ccy => PnlCcy is null ? "" : " " + PnlCcy;

    private static string Round(decimal value, int decimals) => ExactDecimal.Format(Math.Round(value, decimals, MidpointRounding.AwayFromZero));

    private static (decimal? Daily, decimal? Annual) Sharpe(IReadOnlyList<RoundTrip> trips)
    {
        if (trips.Count == 0)
        {
            return (null, null);
        }

        var first = TradeTime.Day(trips.Min(t => t.EntryTs));
        var last = TradeTime.Day(trips.Max(t => t.ExitTs));
        var byDay = trips.GroupBy(t => TradeTime.Day(t.ExitTs)).ToDictionary(g => g.Key, g => g.Sum(t => t.NetPnl / t.PnlNotional));
        var days = last.DayNumber - first.DayNumber + 1;
        if (days < 2)
        {
            return (null, null);
        }

        var returns = Enumerable.Range(0, days).Select(i => byDay.GetValueOrDefault(first.AddDays(i))).ToList();
        var mean = returns.Sum() / days;
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (days - 1);
        if (variance == 0)
        {
            return (null, null);
        }

        var daily = mean / Sqrt(variance);
        return (daily, daily * Sqrt(365m));
    }

    /// <summary>Square root in decimal (Newton), so no double enters money arithmetic.</summary>
    internal static decimal Sqrt(decimal value)
    {
        if (value <= 0)
        {
            return 0;
        }

        var x = (decimal)Math.Sqrt((double)value); // a close start; Newton refines it to decimal precision
        for (var i = 0; i < 6; i++)
        {
            var next = (x + (value / x)) / 2m;
            if (next == x)
            {
                break;
            }

            x = next;
        }

        return x;
    }
}
