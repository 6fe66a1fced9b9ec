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
        : base(Describe(request, code, exchangeMessage), inner)
    {
        Request = request;
        HttpStatus = httpStatus;
        Code = code;
        ExchangeMessage = SecretRedactor.Redact(exchangeMessage);
        Kind = KindOf(code);
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

    /// <summary>The documented code to kind mapping; 0 stands for "no answer" (the request may have been executed).</summary>
    public static BinanceErrorKind KindOf(int code) => code switch
    {
        -1022 or -2014 or -2015 => BinanceErrorKind.BadKey,
        -1007 or 0 => BinanceErrorKind.Unknown,
        -1021 => BinanceErrorKind.ClockSkew,
        _ => BinanceErrorKind.Rejected,
    };

    private static string Describe(string request, int code, string exchangeMessage)
    {
        var text = SecretRedactor.Redact(exchangeMessage).ReplaceLineEndings(" ");
        return KindOf(code) switch
        {
            BinanceErrorKind.BadKey => $"binance rejected the API key ({code} {text}) on {request}: check the key, the secret, the IP whitelist and the key's permissions; not retrying",
            BinanceErrorKind.Unknown => $"binance {request}: send status unknown ({code} {text}); reconcile by client order id, do not resend",
            _ => $"binance {request}: {code} {text}",
        };
    }
}
