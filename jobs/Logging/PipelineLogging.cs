using Pipeline.Vault.Layout;
using Serilog;
using Serilog.Events;

namespace Pipeline.Jobs.Logging;

/// <summary>Serilog set-up: human console output on stderr and a daily rolling file under the vault's logs/.</summary>
public static class PipelineLogging
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}";

    // Above debug, a failure's cause is one line on the console (no stack trace); the file keeps the trace.
    private const string OneLineConsoleTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{ExceptionLine}{NewLine}";
    private const string FileTemplate = "{Timestamp:o} {Level:u3} [{SourceContext}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static void Configure(LogEventLevel level, VaultLayout? vault) => Log.Logger = Create(level, vault, console: null);

    /// <summary>The logger <see cref="Configure"/> installs; <paramref name="console"/> replaces stderr (tests).</summary>
    internal static Serilog.Core.Logger Create(LogEventLevel level, VaultLayout? vault, TextWriter? console)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With(new Pipeline.Exporter.Rest.EndpointRedactingEnricher()); // no endpoint credentials in any log line

        // Every sink behind the secret mask: no API key, secret or passphrase in any log line (console or file). The
        // sinks form an inner logger (not Serilog's Wrap, whose aggregate swallows a file sink's failure at close).
        var sinks = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Logger(sub => WriteConsole(sub, level, console));
        if (vault is not null)
        {
            sinks = sinks.WriteTo.File(Path.Combine(vault.LogsDir, "pipeline-.log"),
                outputTemplate: FileTemplate, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        var masked = new SecretMaskingSink(sinks.CreateLogger());
        return configuration.WriteTo.Sink(masked).CreateLogger();
    }

    /// <summary>
    /// The console sink (stderr, or <paramref name="writer"/> in tests) in its own sub-logger, so the one-line
    /// exception property never reaches the file.
    /// </summary>
    internal static LoggerConfiguration WriteConsole(LoggerConfiguration console, LogEventLevel level, TextWriter? writer)
    {
        ArgumentNullException.ThrowIfNull(console);
        var template = level <= LogEventLevel.Debug ? ConsoleTemplate : OneLineConsoleTemplate;
        console = console.MinimumLevel.Verbose().Enrich.With<ExceptionLineEnricher>();
        return writer is null
            ? console.WriteTo.Console(outputTemplate: template, standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            : console.WriteTo.Sink(new WriterSink(writer,
                new Serilog.Formatting.Display.MessageTemplateTextFormatter(template, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private sealed class WriterSink(TextWriter writer, Serilog.Formatting.ITextFormatter formatter) : Serilog.Core.ILogEventSink
    {
        public void Emit(LogEvent logEvent) => formatter.Format(logEvent, writer);
    }

    /// <summary>The failure in one line: its message, and the innermost cause when that adds something.</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var text = ReferenceEquals(inner, ex) || ex.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? ex.Message
            : $"{ex.Message} ({inner.Message})";
        // One line even when a message spans several (aggregate and parser messages do); never a credential value.
        text = Pipeline.Exporter.Trading.SecretRedactor.Redact(text);
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
