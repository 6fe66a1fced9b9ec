using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Exporter.Instruments;

/// <summary>
/// Instrument metadata for one exchange: fetched from the venue's REST list (OKX instruments, Binance exchangeInfo),
/// saved as meta/{exchange}/instruments/SWAP.json (atomic replace, delisted entries kept), and read
/// back from that snapshot when REST is unreachable so a restart still knows the contracts.
/// </summary>
public sealed class InstrumentCatalog(ExporterOptions options, VaultLayout vault, ExchangeRestClient rest, TimeProvider time, ILogger? log = null)
{
    private readonly ILogger _log = log ?? Log.ForContext<InstrumentCatalog>();
    private readonly StateFile<InstrumentSnapshot> _file = new(vault.InstrumentsSnapshot(options.Exchange));
    private readonly IVenue _venue = VenueRegistry.For(options.Exchange);

    public Uri Endpoint => _venue.InstrumentsEndpoint(_venue.RestBase(options));

    public string SnapshotPath => _file.Path;

    /// <summary>Fetches the list and saves the snapshot; falls back to the snapshot when REST fails.</summary>
    public async Task<InstrumentSnapshot> LoadAsync(CancellationToken token)
    {
        try
        {
            return await RefreshAsync(token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            var cached = _file.Read();
            if (cached is null || options.RequireRestMetadata)
            {
                throw new InvalidOperationException(
                    $"cannot load {options.Exchange} instruments from {EndpointRedaction.Redact(Endpoint)} ({EndpointRedaction.Redact(ex.Message)}) and there is no snapshot at {_file.Path}", ex);
            }

            _log.Warning("Instrument REST {Url} failed ({Error}); using the snapshot {Path} from {FetchedAt}",
                EndpointRedaction.Redact(Endpoint), ex.Message, _file.Path, DateTimeOffset.FromUnixTimeMilliseconds(cached.FetchedAt));
            return cached;
        }
    }

    /// <summary>Fetches from REST, merges with the previous snapshot (keeping vanished instruments) and saves.</summary>
    public async Task<InstrumentSnapshot> RefreshAsync(CancellationToken token)
    {
        var body = await rest.GetAsync(Endpoint, token);
        var (valid, rejected) = _venue.ParseInstruments(body);
        var merged = valid.ToDictionary(s => s.InstId, StringComparer.Ordinal);
        InstrumentSnapshot? previous = null;
        try
        {
            previous = _file.Read();
        }
        catch (StateFileCorruptException ex)
        {
            _log.Warning("Ignoring a corrupt instrument snapshot: {Error}", ex.Message);
        }

        foreach (var old in previous?.Instruments ?? [])
        {
            merged.TryAdd(old.InstId, old with { State = "gone" });
        }

        var snapshot = new InstrumentSnapshot
        {
            Exchange = options.Exchange,
            FetchedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Source = EndpointRedaction.Redact(Endpoint),
            Instruments = [.. merged.Values.OrderBy(s => s.InstId, StringComparer.Ordinal)],
            Rejected = rejected,
        };
        _file.Write(snapshot);
        _log.Debug("Saved {Count} {Exchange} instruments to {Path}", snapshot.Instruments.Count, options.Exchange, _file.Path);
        return snapshot;
    }

    /// <summary>
    /// The specs of the requested instruments. An unknown id is an error (naming the endpoint); an
    /// instrument with bad contract fields is reported (naming the field) and left out.
    /// </summary>
    public IReadOnlyList<InstrumentSpec> Resolve(InstrumentSnapshot snapshot, IReadOnlyList<string> instIds, out List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(instIds);
        errors = [];
        var specs = new List<InstrumentSpec>();
        foreach (var id in instIds)
        {
            var spec = snapshot.Instruments.FirstOrDefault(s => s.InstId == id);
            var rejected = snapshot.Rejected.FirstOrDefault(r => r.InstId == id);
            if (rejected is not null)
            {
                errors.Add($"{options.Exchange} {id}: not recorded, invalid metadata: {rejected.Error}");
            }
            else if (spec is null)
            {
                var hint = snapshot.Instruments.Where(s => s.InstId.StartsWith(id.Split('-')[0], StringComparison.OrdinalIgnoreCase))
                    .Select(s => s.InstId).Take(5).ToList();
                errors.Add($"{options.Exchange} {id}: unknown instrument (not in {EndpointRedaction.Redact(snapshot.Source ?? Endpoint.ToString())})" +
                    (hint.Count > 0 ? $"; similar: {string.Join(", ", hint)}" : string.Empty));
            }
            else if (spec.Validate() is { } error)
            {
                errors.Add($"{options.Exchange} {id}: not recorded, invalid metadata: {error}");
            }
            else
            {
                specs.Add(spec);
            }
        }

        return specs;
    }
}
