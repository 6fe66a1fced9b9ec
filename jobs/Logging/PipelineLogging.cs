using Pipeline.Vault.Layout;
using Serilog;
using Serilog.Events;

namespace Pipeline.Jobs.Logging;

/// <summary>Serilog set-up: human console output on stderr and a daily rolling file under the vault's logs/.</summary>
public static class PipelineLogging
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:o} {Level:u3} [{SourceContext}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static void Configure(LogEventLevel level, VaultLayout? vault)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With(new Pipeline.Exporter.Rest.EndpointRedactingEnricher()) // no endpoint credentials in any log line
            .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (vault is not null)
        {
            configuration = configuration.WriteTo.File(Path.Combine(vault.LogsDir, "pipeline-.log"),
                outputTemplate: FileTemplate, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        Log.Logger = configuration.CreateLogger();
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

        return ReferenceEquals(inner, ex) || ex.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? ex.Message
            : $"{ex.Message} ({inner.Message})";
    }
}
