namespace Pipeline.Exporter.Trading;

/// <summary>
/// Credentials missing or unusable (no variables, a file others can read, a malformed line). The message names what is
/// wrong and how to fix it, never a value.
/// </summary>
public sealed class CredentialsException : Exception
{
    public CredentialsException()
    {
    }

    public CredentialsException(string message) : base(message)
    {
    }

    public CredentialsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
