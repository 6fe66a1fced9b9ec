using System.Buffers;
using System.Buffers.Text;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Records;

/// <summary>
/// Writes one minute record line: <c>{"minute":"…Z","exchange":…,"instId":…</c> first, then the
/// calculator's columns; decimals as canonical strings (<see cref="ExactDecimal"/>), counts as
/// numbers, null when not warm. Writes straight into the output buffer.
/// </summary>
public readonly ref struct MinuteLine
{
    private readonly IBufferWriter<byte> _output;

    private MinuteLine(IBufferWriter<byte> output) => _output = output;

    public static MinuteLine Begin(IBufferWriter<byte> output, long minuteMs, string exchange, string instId)
    {
        var line = new MinuteLine(output);
        line.Raw("{\"minute\":\""u8);
        var span = output.GetSpan(20);
        output.Advance(MinuteTime.FormatUtf8(minuteMs, span));
        line.Raw("\",\"exchange\":"u8);
        new JsonLineBuilder(output).StringValue(exchange);
        line.Raw(",\"instId\":"u8);
        new JsonLineBuilder(output).StringValue(instId);
        return line;
    }

    public void End() => Raw("}\n"u8);

    public void Dec(ReadOnlySpan<byte> key, decimal value)
    {
        Key(key);
        var span = _output.GetSpan(34);
        span[0] = (byte)'"';
        var n = ExactDecimal.FormatUtf8(value, span[1..]);
        span[n + 1] = (byte)'"';
        _output.Advance(n + 2);
    }

    public void Dec(ReadOnlySpan<byte> key, decimal? value)
    {
        if (value is { } v)
        {
            Dec(key, v);
        }
        else
        {
            Null(key);
        }
    }

    public void Number(ReadOnlySpan<byte> key, long value)
    {
        Key(key);
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    public void Number(ReadOnlySpan<byte> key, long? value)
    {
        if (value is { } v)
        {
            Number(key, v);
        }
        else
        {
            Null(key);
        }
    }

    public void Null(ReadOnlySpan<byte> key)
    {
        Key(key);
        Raw("null"u8);
    }

    /// <summary>A key fragment: the caller passes the bare name; the comma and quotes are added.</summary>
    public void Key(ReadOnlySpan<byte> key)
    {
        var span = _output.GetSpan(key.Length + 4);
        span[0] = (byte)',';
        span[1] = (byte)'"';
        key.CopyTo(span[2..]);
        span[key.Length + 2] = (byte)'"';
        span[key.Length + 3] = (byte)':';
        _output.Advance(key.Length + 4);
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }
}
