using Pipeline.Exporter.Trading;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Pipeline.Jobs.Logging;

/// <summary>
/// Wraps the console and file sinks: an event whose message template, property values (also nested and
/// <c>ToString</c>-rendered ones) or exception contains a registered credential value (<see cref="SecretRedactor"/>)
/// is rewritten with <c>***</c> in its place before any sink sees it. The backstop behind "never log a secret":
/// code should not log one, and if it does, this masks it.
/// </summary>
public sealed class SecretMaskingSink(ILogEventSink inner) : ILogEventSink, IDisposable, IAsyncDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent) => inner.Emit(Mask(logEvent));

    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary><paramref name="logEvent"/> itself when it carries no secret (the common case), else a masked copy.</summary>
    public static LogEvent Mask(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (!SecretRedactor.HasSecrets)
        {
            return logEvent;
        }

        var changed = false;
        var template = logEvent.MessageTemplate;
        if (SecretRedactor.ContainsSecret(template.Text))
        {
            template = Parser.Parse(SecretRedactor.Redact(template.Text));
            changed = true;
        }

        // Copied only when a value changes (most events carry no secret).
        List<LogEventProperty>? properties = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var masked = MaskValue(value);
            if (!ReferenceEquals(masked, value))
            {
                (properties ??= []).Add(new LogEventProperty(name, masked));
            }
        }

        var exception = logEvent.Exception;
        if (exception is not null && SecretRedactor.ContainsSecret(exception.ToString()))
        {
            exception = new RedactedException(exception);
            changed = true;
        }

        if (!changed && properties is null)
        {
            return logEvent;
        }

        var all = logEvent.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var property in properties ?? [])
        {
            all[property.Name] = property.Value;
        }

        return new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template,
            all.Select(p => new LogEventProperty(p.Key, p.Value)), logEvent.TraceId ?? default, logEvent.SpanId ?? default);
    }

    /// <summary>The value itself when nothing in it is a secret, else a masked copy.</summary>
    private static LogEventPropertyValue MaskValue(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: null or bool or char or byte or short or int or long or decimal or double or float or DateTime or DateTimeOffset }:
                return value;
            case ScalarValue scalar:
                // Strings, and any other object (rendered through ToString when the event is written).
                var text = scalar.Value is string s ? s : Convert.ToString(scalar.Value, System.Globalization.CultureInfo.InvariantCulture);
                return SecretRedactor.ContainsSecret(text) ? new ScalarValue(SecretRedactor.Redact(text)) : value;
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(MaskValue).ToList();
                return elements.Where((e, i) => !ReferenceEquals(e, sequence.Elements[i])).Any() ? new SequenceValue(elements) : value;
            case StructureValue structure:
                var members = structure.Properties.Select(p => new LogEventProperty(p.Name, MaskValue(p.Value))).ToList();
                return members.Where((m, i) => !ReferenceEquals(m.Value, structure.Properties[i].Value)).Any()
                    ? new StructureValue(members, structure.TypeTag)
                    : value;
            case DictionaryValue dictionary:
                var entries = dictionary.Elements
                    .Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)MaskValue(e.Key), MaskValue(e.Value)))
                    .ToList();
                return entries.Zip(dictionary.Elements).Any(p => !ReferenceEquals(p.First.Key, p.Second.Key) || !ReferenceEquals(p.First.Value, p.Second.Value))
                    ? new DictionaryValue(entries)
                    : value;
            default:
                return value;
        }
    }

    /// <summary>Stands in for an exception whose text carries a secret: the same type name, message and trace, masked.</summary>
    private sealed class RedactedException(Exception original) : Exception(SecretRedactor.Redact(original.Message))
    {
        private readonly string _text = SecretRedactor.Redact(original.ToString());

        public override string? StackTrace => null;

        public override string ToString() => _text;
    }
}
