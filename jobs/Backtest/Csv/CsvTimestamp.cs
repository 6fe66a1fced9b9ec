using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest.Csv;

/// <summary>
/// A CSV timestamp as Unix ms (UTC). Accepted: ISO-8601 date-times <c>2026-03-01T00:01:00Z</c>,
/// <c>2026-03-01 00:01:00</c> (no offset means UTC), <c>2026-03-01T01:01:00+01:00</c>, with fractions of a
/// second (digits past the millisecond are cut); or epoch numbers: below 100,000,000,000 seconds (with
/// up to 3 decimals), from there milliseconds (whole). Larger numbers (microseconds, nanoseconds) are refused.
/// </summary>
public static partial class CsvTimestamp
{
    /// <summary>10^11: 5138 AD in seconds, 1973-03-03 in milliseconds, so the two never overlap for market data.</summary>
    public const long MillisecondsFrom = 100_000_000_000;

    /// <summary>10^14 ms is 5138 AD: a larger epoch number is micro- or nanoseconds.</summary>
    private const long MaxMilliseconds = 100_000_000_000_000;

    public static bool TryParse(string text, out long ms, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ms = 0;
        error = null;
        if (Epoch().IsMatch(text))
        {
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"timestamp '{text}' is not a number";
                return false;
            }

            if (number >= MaxMilliseconds)
            {
                error = $"timestamp '{text}' is too large for epoch milliseconds (microseconds or nanoseconds?); use seconds, milliseconds or ISO-8601";
                return false;
            }

            if (number >= MillisecondsFrom)
            {
                if (number != decimal.Truncate(number))
                {
                    error = $"timestamp '{text}' is epoch milliseconds with a fraction";
                    return false;
                }

                ms = (long)number;
            }
            else
            {
                var scaled = number * 1000m;
                if (scaled != decimal.Truncate(scaled))
                {
                    error = $"timestamp '{text}' is epoch seconds with more than 3 decimals";
                    return false;
                }

                ms = (long)scaled;
            }
        }
        else if (Iso().Match(text) is { Success: true } m)
        {
            // Cut the fraction to milliseconds before parsing (microsecond exports are common).
            var fraction = m.Groups["fraction"].Value;
            var trimmed = fraction.Length > 4 ? text.Replace(fraction, fraction[..4], StringComparison.Ordinal) : text;
            if (!DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                error = $"timestamp '{text}' is not a valid date and time";
                return false;
            }

            ms = time.ToUnixTimeMilliseconds();
        }
        else
        {
            error = $"timestamp '{text}' is neither ISO-8601 (2026-03-01T00:01:00Z) nor epoch seconds or milliseconds";
            return false;
        }

        if (ms < RawTradeRules.MinTs || ms >= RawTradeRules.MaxTs)
        {
            error = $"timestamp '{text}' is outside 2000-01-01 – 2100-01-01";
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Epoch();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(?<fraction>\.[0-9]+)?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();
}
