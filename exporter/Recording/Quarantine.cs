using System.Buffers;
using System.Text;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// raw/{exchange}/quarantine/{day}.jsonl: one JSON line per rejected frame with ts, exchange, reason and
/// the raw text (truncated). Shared by the receive loops of one exchange, so writes are serialised.
/// </summary>
public sealed class Quarantine(VaultLayout vault, string exchange, TimeProvider time, ILogger? log = null) : IDisposable
{
    public const int MaxRawChars = 4096;
    private readonly Lock _lock = new();
    private readonly ILogger _log = log ?? Log.ForContext<Quarantine>();
    private JsonlAppender? _appender;
    private DateOnly _day;
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(string reason, ReadOnlySpan<byte> raw, string? instId = null) => Add(reason, raw, instId, null, null);

    /// <summary>As <see cref="Add(string, ReadOnlySpan{byte}, string?)"/>, naming where the rejected bytes were read
    /// (a vault file and the byte offset of the line) when they came from a file rather than the connection.</summary>
    public void Add(string reason, ReadOnlySpan<byte> raw, string? instId, string? file, long? offset)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var truncated = raw.Length > MaxRawChars;
        var text = Encoding.UTF8.GetString(truncated ? raw[..MaxRawChars] : raw);
        lock (_lock)
        {
            var day = TradeTime.Day(now);
            if (_appender is null || day != _day)
            {
                _appender?.Dispose();
                _appender = JsonlAppender.Open(vault.QuarantineDay(exchange, day), time: time, log: _log);
                _day = day;
            }

            var w = new JsonLineBuilder(_appender);
            w.Number("{\"ts\":"u8, now);
            w.Text(",\"exchange\":"u8, exchange);
            if (instId is not null)
            {
                w.Text(",\"instId\":"u8, instId);
            }

            w.Text(",\"reason\":"u8, reason);
            if (file is not null)
            {
                w.Text(",\"file\":"u8, file);
                w.Number(",\"offset\":"u8, offset ?? 0);
            }

            w.Text(",\"raw\":"u8, text);
            if (truncated)
            {
                w.Number(",\"rawBytes\":"u8, raw.Length);
            }

            w.Raw("}\n"u8);
            _appender.EndLine();
            _count++;
        }

        _log.Warning("Quarantined a {Exchange} frame: {Reason}", exchange, reason);
    }

    public void SyncIfDue()
    {
        lock (_lock)
        {
            _appender?.SyncIfDue();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _appender?.Dispose();
            _appender = null;
        }
    }
}
