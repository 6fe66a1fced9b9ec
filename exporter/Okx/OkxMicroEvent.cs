using System.Text.Json;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// A control frame of the microstructure connection: an ack (<c>event:subscribe</c>), an error (<c>event:error</c>,
/// code and message), a notice (64008). <see cref="OkxMicroProtocol.TryParse"/> emits nothing for acks and notices and
/// refuses an error with its code and message (quarantined, so it is never silent); this describes any of them.
/// </summary>
public sealed record OkxMicroEvent(string Event, string? Code, string? Message, string? Channel, string? InstId, string? InstType)
{
    public bool IsSubscribed => Event == "subscribe";

    public bool IsError => Event == "error";

    /// <summary>64008: the server will close this connection for an upgrade; move to a new one first.</summary>
    public bool IsHandoverNotice => Event == "notice" && Code == "64008";

    /// <summary>Errors after which retrying on the same connection cannot help (wrong URL or channel, invalid request).</summary>
    public bool IsFatal => IsError && Code is "60018" or "64001" or "64002" or "60012" or "64000";

    /// <summary>The event of <paramref name="frame"/>, or null when it is not an event (data, pong, not JSON).</summary>
    public static OkxMicroEvent? Read(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty || frame[0] != (byte)'{' || frame.IndexOf("\"event\""u8) < 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(frame.ToArray());
            var root = document.RootElement;
            if (!root.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            string? channel = null, instId = null, instType = null;
            if (root.TryGetProperty("arg", out var arg) && arg.ValueKind == JsonValueKind.Object)
            {
                channel = Text(arg, "channel");
                instId = Text(arg, "instId");
                instType = Text(arg, "instType");
            }

            return new OkxMicroEvent(ev.GetString()!, Text(root, "code"), Text(root, "msg"), channel, instId, instType);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
