using Serilog.Core;
using Serilog.Events;

namespace Pipeline.Jobs.Logging;

/// <summary>
/// Adds "ExceptionLine": ": {cause}" in one line for an event with an exception, so the console shows why
/// without a stack trace (the log file keeps the full exception).
/// </summary>
public sealed class ExceptionLineEnricher : ILogEventEnricher
{
    public const string PropertyName = "ExceptionLine";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        if (logEvent.Exception is { } ex)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PropertyName, ": " + PipelineLogging.Describe(ex)));
        }
    }
}
