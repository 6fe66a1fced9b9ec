using Serilog.Core;
using Serilog.Events;

namespace Pipeline.Exporter.Rest;

/// <summary>
/// Serilog enricher that passes every Uri or URL-bearing text property through <see cref="EndpointRedaction"/>,
/// so no log line (console or file) carries endpoint credentials, whichever code logged the URL.
/// </summary>
public sealed class EndpointRedactingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: Uri or string } scalar)
            {
                var text = scalar.Value is Uri uri ? uri.OriginalString : (string)scalar.Value;
                var redacted = EndpointRedaction.Redact(text);
                if (!ReferenceEquals(redacted, text) && redacted != text)
                {
                    (changed ??= []).Add(new LogEventProperty(name, new ScalarValue(redacted)));
                }
            }
        }

        if (changed is not null)
        {
            foreach (var property in changed)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }
}
