namespace Pipeline.Jobs.Strategies.VwapMeanReversion;

/// <summary>The VWAP window the bands are drawn around: 1h, 4h or the UTC session.</summary>
public enum BandWindow
{
    OneHour,
    FourHours,
    Session,
}

public static class BandWindowText
{
    public static string Of(BandWindow window) => window switch
    {
        BandWindow.OneHour => "1h",
        BandWindow.FourHours => "4h",
        _ => "session",
    };

    public static BandWindow Parse(string text) => text switch
    {
        "1h" => BandWindow.OneHour,
        "4h" => BandWindow.FourHours,
        "session" => BandWindow.Session,
        _ => throw new FormatException($"'{text}' is not a band window (1h, 4h, session)"),
    };
}
