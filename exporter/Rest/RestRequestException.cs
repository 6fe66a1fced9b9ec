namespace Pipeline.Exporter.Rest;

/// <summary>A REST answer that retrying will not fix (4xx other than rate limits, an error code in the body).</summary>
public sealed class RestRequestException : Exception
{
    public RestRequestException()
    {
    }

    public RestRequestException(string message) : base(message)
    {
    }

    public RestRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
