namespace Pipeline.Exporter.Tests;

/// <summary>
/// Every test class that opens real sockets or starts a simulator host is in this collection: they run one at a
/// time (not beside each other on two busy cores), while the pure tests still run in parallel.
/// </summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class SocketTestGroup
{
    public const string Collection = "Sockets";
}
