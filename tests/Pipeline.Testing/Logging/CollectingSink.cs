using Serilog.Core;
using Serilog.Events;

namespace Pipeline.Testing.Logging;

/// <summary>Keeps rendered log events so tests can check what an operator would read.</summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly List<(LogEventLevel Level, string Text)> _events = [];

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_events)
        {
            _events.Add((logEvent.Level, logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public IReadOnlyList<(LogEventLevel Level, string Text)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public Serilog.ILogger Logger() => new Serilog.LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();
}
