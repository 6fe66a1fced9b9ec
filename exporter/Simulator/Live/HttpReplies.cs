using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Simulator.Live;

/// <summary>Small helpers for the REST handlers: JSON bodies and query parsing.</summary>
public static class HttpReplies
{
    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static string? Query(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.Request.Query[name];
        return value.Count == 0 || string.IsNullOrEmpty(value[0]) ? null : value[0];
    }

    /// <summary>Parses an optional integer query value: (present, ok, value).</summary>
    public static (bool Present, bool Ok, long Value) QueryNumber(HttpContext context, string name)
    {
        var text = Query(context, name);
        if (text is null)
        {
            return (false, true, 0);
        }

        var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value);
        return (true, ok, value);
    }
}
