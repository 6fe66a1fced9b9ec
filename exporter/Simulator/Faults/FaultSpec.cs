using System.Globalization;

namespace Pipeline.Simulator.Faults;

/// <summary>
/// Fault injection, parsed from a comma list such as <c>disconnect=5s,dup=0.01,reorder=1%,malformed=0.001,stall=60s,rest429=0.05</c>.
/// Intervals take ms, s, m or h; probabilities a fraction in [0,1] or a percentage.
/// </summary>
public sealed record FaultSpec
{
    public static FaultSpec None { get; } = new();

    /// <summary>Close each WebSocket at a random time around this interval after it opens.</summary>
    public TimeSpan? Disconnect { get; init; }

    /// <summary>Probability that a data message is sent twice.</summary>
    public double Dup { get; init; }

    /// <summary>Probability that a data message is swapped with the next one.</summary>
    public double Reorder { get; init; }

    /// <summary>Probability of a garbage frame, or of a data message cut short.</summary>
    public double Malformed { get; init; }

    /// <summary>Each WebSocket goes silent (stays open) at a random time around this interval.</summary>
    public TimeSpan? Stall { get; init; }

    /// <summary>Probability that a REST API request gets HTTP 429.</summary>
    public double Rest429 { get; init; }

    /// <summary>Probability that a book diff message (OKX books, Binance depth) is never sent: a sequence gap for every client.</summary>
    public double BookDrop { get; init; }

    /// <summary>Probability that an OKX books update carries a wrong checksum.</summary>
    public double BookChecksum { get; init; }

    /// <summary>Probability that an OKX books update names a prevSeqId never sent.</summary>
    public double BookSeqGap { get; init; }

    /// <summary>Probability that a Binance REST depth snapshot is stale (at least a second older than the stream).</summary>
    public double StaleSnapshot { get; init; }

    /// <summary>Private API: probability that a new order is rejected by the venue.</summary>
    public double OrderReject { get; init; }

    /// <summary>Private API: probability that a fill which would complete an order fills only half of what is left.</summary>
    public double PartialFill { get; init; }

    /// <summary>Private API: probability, per user-stream event, that the connection is dropped instead (the event is lost to it).</summary>
    public double UserDrop { get; init; }

    /// <summary>Private API: probability that an acknowledged order's NEW event is never sent on the user stream.</summary>
    public double EventLost { get; init; }

    /// <summary>Private API: probability that an order is placed but its REST reply is lost (execution status unknown).</summary>
    public double AckLost { get; init; }

    /// <summary>Private API: probability that an order is placed but its REST reply is withheld until the client disconnects.</summary>
    public double AckHold { get; init; }

    public bool IsNone => this == None;

    /// <summary>Parses a spec; a <see cref="FormatException"/> names the bad item.</summary>
    public static FaultSpec Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        var spec = new FaultSpec();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"fault '{raw}': expected name=value (disconnect, dup, reorder, malformed, stall, rest429, bookdrop, checksum, seqgap, stalesnap, orderreject, partialfill, userdrop, eventlost, acklost, ackhold)");
            }

            var name = raw[..eq].Trim().ToLowerInvariant();
            var value = raw[(eq + 1)..].Trim();
            if (!seen.Add(name))
            {
                throw new FormatException($"fault '{raw}': {name} given twice");
            }

            spec = name switch
            {
                "disconnect" => spec with { Disconnect = Interval(raw, value) },
                "stall" => spec with { Stall = Interval(raw, value) },
                "dup" => spec with { Dup = Probability(raw, value) },
                "reorder" => spec with { Reorder = Probability(raw, value) },
                "malformed" => spec with { Malformed = Probability(raw, value) },
                "rest429" => spec with { Rest429 = Probability(raw, value) },
                "bookdrop" => spec with { BookDrop = Probability(raw, value) },
                "checksum" => spec with { BookChecksum = Probability(raw, value) },
                "seqgap" => spec with { BookSeqGap = Probability(raw, value) },
                "stalesnap" => spec with { StaleSnapshot = Probability(raw, value) },
                "orderreject" => spec with { OrderReject = Probability(raw, value) },
                "partialfill" => spec with { PartialFill = Probability(raw, value) },
                "userdrop" => spec with { UserDrop = Probability(raw, value) },
                "eventlost" => spec with { EventLost = Probability(raw, value) },
                "acklost" => spec with { AckLost = Probability(raw, value) },
                "ackhold" => spec with { AckHold = Probability(raw, value) },
                _ => throw new FormatException($"fault '{raw}': unknown fault '{name}' (disconnect, dup, reorder, malformed, stall, rest429, bookdrop, checksum, seqgap, stalesnap, orderreject, partialfill, userdrop, eventlost, acklost, ackhold)"),
            };
        }

        return spec;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Disconnect is { } d)
        {
            parts.Add($"disconnect={d.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms");
        }

        if (Dup > 0)
        {
            parts.Add("dup=" + Dup.ToString(CultureInfo.InvariantCulture));
        }

        if (Reorder > 0)
        {
            parts.Add("reorder=" + Reorder.ToString(CultureInfo.InvariantCulture));
        }

        if (Malformed > 0)
        {
            parts.Add("malformed=" + Malformed.ToString(CultureInfo.InvariantCulture));
        }

        if (Stall is { } s)
        {
            parts.Add($"stall={s.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms");
        }

        if (Rest429 > 0)
        {
            parts.Add("rest429=" + Rest429.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (name, p) in new[] { ("bookdrop", BookDrop), ("checksum", BookChecksum), ("seqgap", BookSeqGap), ("stalesnap", StaleSnapshot),
            ("orderreject", OrderReject), ("partialfill", PartialFill), ("userdrop", UserDrop), ("eventlost", EventLost), ("acklost", AckLost), ("ackhold", AckHold) })
        {
            if (p > 0)
            {
                parts.Add(name + "=" + p.ToString(CultureInfo.InvariantCulture));
            }
        }

        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }

    internal static TimeSpan Interval(string item, string value)
    {
        var (number, unit) = Split(value);
        var factor = unit switch
        {
            "ms" => 1.0,
            "s" or "" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => double.NaN,
        };
        if (double.IsNaN(factor) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || double.IsInfinity(n))
        {
            throw new FormatException($"fault '{item}': expected a positive interval such as 500ms, 5s, 2m or 1h");
        }

        return TimeSpan.FromMilliseconds(n * factor);
    }

    private static double Probability(string item, string value)
    {
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || double.IsNaN(p))
        {
            throw new FormatException($"fault '{item}': expected a probability such as 0.01 or 1%");
        }

        p = percent ? p / 100 : p;
        if (p is < 0 or > 1)
        {
            throw new FormatException($"fault '{item}': probability must be between 0 and 1 (or 0% and 100%)");
        }

        return p;
    }

    private static (string Number, string Unit) Split(string value)
    {
        var i = value.Length;
        while (i > 0 && char.IsLetter(value[i - 1]))
        {
            i--;
        }

        return (value[..i], value[i..].ToLowerInvariant());
    }
}
