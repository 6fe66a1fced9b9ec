namespace Pipeline.Jobs.Cli;

/// <summary>Process exit codes: 0 success, 1 runtime failure, 2 usage error.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
