namespace Pipeline.Vault.Layout;

/// <summary>A name that would make an unsafe or malformed vault path.</summary>
public sealed class VaultPathException : ArgumentException
{
    public VaultPathException()
    {
    }

    public VaultPathException(string message) : base(message)
    {
    }

    public VaultPathException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
