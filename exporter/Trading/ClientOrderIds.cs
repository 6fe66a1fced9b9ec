using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Exporter.Trading;

/// <summary>
/// Deterministic client order ids: the same (strategy, signal minute, leg, attempt) always gives the same id, so an order
/// re-decided after a crash carries the id of the one that may already exist, and the venue (or a query by that id) tells
/// which. Format <c>pl{strategy:6}{yyMMddHHmm}{leg}{attempt}</c>, 20 characters of [0-9a-z]: valid for Binance
/// <c>newClientOrderId</c> (<c>^[.A-Z:/a-z0-9_-]{1,36}$</c>) and OKX <c>clOrdId</c> (alphanumeric, at most 32).
/// The strategy part is 6 base-36 digits of the SHA-256 of the strategy id (2.2e9 values; a collision between two strategies
/// of one account is checked at start by the executor, not assumed away).
/// </summary>
public static class ClientOrderIds
{
    public const string Prefix = "pl";
    public const int Length = 20;

    /// <summary>The legs of a position; one letter each.</summary>
    public const char Entry = 'e';
    public const char TakeProfit = 't';
    public const char StopLoss = 's';
    public const char ExitVwap = 'v';
    public const char ExitTime = 'h';
    public const char RiskFlatten = 'k';

    private const string Legs = "etsvhk";
    private const string Base36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <param name="strategyId">The strategy's id.</param>
    /// <param name="signalMinuteMs">The minute (Unix ms, a whole minute) whose signal opened the position the leg belongs to.</param>
    /// <param name="leg">One of <see cref="Entry"/>, <see cref="TakeProfit"/>, <see cref="StopLoss"/>, <see cref="ExitVwap"/>, <see cref="ExitTime"/>, <see cref="RiskFlatten"/>.</param>
    /// <param name="attempt">0 for the first order of the leg; 1–9 for a new order after the venue definitely refused the previous one.</param>
    public static string For(string strategyId, long signalMinuteMs, char leg, int attempt = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(strategyId);
        if (signalMinuteMs % 60_000 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(signalMinuteMs), signalMinuteMs, "not a whole minute");
        }

        if (!Legs.Contains(leg, StringComparison.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(leg), leg, "unknown leg; one of " + Legs);
        }

        if (attempt is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "0 to 9");
        }

        var minute = DateTimeOffset.FromUnixTimeMilliseconds(signalMinuteMs).UtcDateTime.ToString("yyMMddHHmm", CultureInfo.InvariantCulture);
        return string.Concat(Prefix, StrategyPart(strategyId), minute, leg.ToString(), attempt.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The 6-character strategy part of every id of <paramref name="strategyId"/>.</summary>
    public static string StrategyPart(string strategyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(strategyId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(strategyId));
        var value = BitConverter.ToUInt64(hash, 0) % 2_176_782_336UL; // 36^6
        Span<char> text = stackalloc char[6];
        for (var i = 5; i >= 0; i--)
        {
            text[i] = Base36[(int)(value % 36)];
            value /= 36;
        }

        return new string(text);
    }

    /// <summary>Reads an id this class made: false for any other id (an order placed by hand or by another program).</summary>
    public static bool TryParse(string? clientOrderId, out string strategyPart, out long signalMinuteMs, out char leg, out int attempt)
    {
        strategyPart = "";
        signalMinuteMs = 0;
        leg = '\0';
        attempt = 0;
        if (clientOrderId is not { Length: Length } || !clientOrderId.StartsWith(Prefix, StringComparison.Ordinal) ||
            !Legs.Contains(clientOrderId[18], StringComparison.Ordinal) || !char.IsAsciiDigit(clientOrderId[19]) ||
            !DateTime.TryParseExact(clientOrderId.AsSpan(8, 10), "yyMMddHHmm", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var minute))
        {
            return false;
        }

        strategyPart = clientOrderId.Substring(2, 6);
        signalMinuteMs = new DateTimeOffset(minute, TimeSpan.Zero).ToUnixTimeMilliseconds();
        leg = clientOrderId[18];
        attempt = clientOrderId[19] - '0';
        return true;
    }
}
