using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// A Binance error answer (<c>{"code":-5022,"msg":"..."}</c>) or a lost answer, with what to do about it. The message is one
/// line: the request, the code and Binance's text (redacted; it never carries the key or secret).
/// </summary>
public sealed class BinanceApiException : Exception
{
    public BinanceApiException()
    {
    }

    public BinanceApiException(string message)
        : base(message)
    {
    }

    public BinanceApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BinanceApiException(string request, int httpStatus, int code, string exchangeMessage, Exception? inner = null)
        : this(request, httpStatus, code, exchangeMessage, KindOf(httpStatus, code), null, inner)
    {
    }

    /// <summary>An error whose kind the caller knows (a connection that never opened is <see cref="BinanceErrorKind.Unavailable"/>, whatever the code).</summary>
    public BinanceApiException(string request, int httpStatus, int code, string exchangeMessage, BinanceErrorKind kind, TimeSpan? retryAfter, Exception? inner = null)
        : base(Describe(request, code, exchangeMessage, kind), inner)
    {
        Request = request;
        HttpStatus = httpStatus;
        Code = code;
        ExchangeMessage = SecretRedactor.Redact(exchangeMessage);
        Kind = kind;
        RetryAfter = retryAfter;
    }

    /// <summary>"POST /fapi/v1/order" and the like.</summary>
    public string Request { get; } = "";

    /// <summary>The HTTP status (0 when no answer arrived).</summary>
    public int HttpStatus { get; }

    /// <summary>Binance's error code (0 when no answer arrived).</summary>
    public int Code { get; }

    /// <summary>Binance's <c>msg</c>.</summary>
    public string ExchangeMessage { get; } = "";

    public BinanceErrorKind Kind { get; }

    public bool IsBadKey => Kind == BinanceErrorKind.BadKey;

    /// <summary>How long Binance asked to wait (the Retry-After header of a 429/418), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The documented code to kind mapping; 0 stands for "no answer" (the request may have been executed).</summary>
    public static BinanceErrorKind KindOf(int code) => code switch
    {
        -1022 or -2014 or -2015 => BinanceErrorKind.BadKey,
        -1007 or 0 => BinanceErrorKind.Unknown,
        -1021 => BinanceErrorKind.ClockSkew,
        -1003 or -1015 => BinanceErrorKind.RateLimited,
        _ => BinanceErrorKind.Rejected,
    };

    /// <summary>As <see cref="KindOf(int)"/>, except that HTTP 429 (rate limit) and 418 (IP banned for ignoring 429s) are rate limits whatever the code.</summary>
    public static BinanceErrorKind KindOf(int httpStatus, int code) =>
        httpStatus is 429 or 418 && KindOf(code) is not BinanceErrorKind.BadKey ? BinanceErrorKind.RateLimited : KindOf(code);

    private static string Describe(string request, int code, string exchangeMessage, BinanceErrorKind kind)
    {
        var text = SecretRedactor.Redact(exchangeMessage).ReplaceLineEndings(" ");
        return kind switch
        {
            BinanceErrorKind.Unavailable => $"binance {request}: unavailable ({text}); nothing changed at the exchange, retry later",
            BinanceErrorKind.BadKey => $"binance rejected the API key ({code} {text}) on {request}: check the key, the secret, the IP whitelist and the key's permissions; not retrying",
            BinanceErrorKind.Unknown => $"binance {request}: send status unknown ({code} {text}); reconcile by client order id, do not resend",
            _ => $"binance {request}: {code} {text}",
        };
    }
}
