namespace Pipeline.Jobs.Strategies;

/// <summary>
/// A strategy configuration that cannot be used: names the file and the key (for example
/// "parameters.bandMultiplier") and says what is wrong. The CLI reports it in one line, exit 2.
/// </summary>
public sealed class StrategyConfigException : Exception
{
    public StrategyConfigException()
    {
    }

    public StrategyConfigException(string message) : base(message)
    {
    }

    public StrategyConfigException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public StrategyConfigException(string file, string key, string problem, Exception? innerException = null)
        : base($"{file}: {key}: {problem}", innerException)
    {
        File = file;
        Key = key;
    }

    /// <summary>The configuration file.</summary>
    public string? File { get; }

    /// <summary>The dotted key at fault, e.g. "parameters.adxMax"; empty for the whole file.</summary>
    public string? Key { get; }
}
