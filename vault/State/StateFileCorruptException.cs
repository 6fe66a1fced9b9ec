namespace Pipeline.Vault.State;

/// <summary>A state file that exists but cannot be read.</summary>
public sealed class StateFileCorruptException : IOException
{
    public StateFileCorruptException()
    {
    }

    public StateFileCorruptException(string message) : base(message)
    {
    }

    public StateFileCorruptException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
