using System.Text.Json;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Ledger;

/// <summary>
/// The persistent sink: appends orders, fills and positions to ledger/{strategy}/ and every
/// decision to derived/signals/{strategy}/{exchange}/{instId}/{day}.jsonl. Exactly-once with the
/// executor state: <see cref="Open"/> truncates to the recorded <see cref="LedgerLengths"/> and
/// removes signal files of days after the recorded one; <see cref="Sync"/> then
/// <see cref="Lengths"/> give what the next state must record.
/// </summary>
public sealed class LedgerWriter : IExecutionSink, IDisposable
{
    private readonly VaultLayout _vault;
    private readonly StrategyConfig _config;
    private readonly JsonlAppender _orders;
    private readonly JsonlAppender _fills;
    private readonly JsonlAppender _positions;
    private readonly Utf8JsonWriter _json;
    private JsonlAppender? _signals;
    private DateOnly? _signalsDay;

    private LedgerWriter(VaultLayout vault, StrategyConfig config, JsonlAppender orders, JsonlAppender fills,
        JsonlAppender positions, JsonlAppender? signals, DateOnly? signalsDay)
    {
        _vault = vault;
        _config = config;
        _orders = orders;
        _fills = fills;
        _positions = positions;
        _signals = signals;
        _signalsDay = signalsDay;
        _json = LedgerJson.CreateWriter(orders);
    }

    /// <summary>
    /// Opens the ledger of <paramref name="config"/>. With <paramref name="recorded"/> null (no state yet)
    /// the ledger and signal files must be empty or absent: data without a state is refused rather
    /// than guessed at.
    /// </summary>
    public static LedgerWriter Open(VaultLayout vault, StrategyConfig config, LedgerLengths? recorded)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(config);
        var signalsDir = SignalsDir(vault, config);
        if (recorded is null)
        {
            var existing = new[] { vault.LedgerOrders(config.Id), vault.LedgerFills(config.Id), vault.LedgerPositions(config.Id) }
                .Where(p => File.Exists(p) && new FileInfo(p).Length > 0)
                .Concat(VaultLayout.ListDays(signalsDir).Select(d => vault.SignalsDay(config.Id, config.Exchange, config.InstId, d)))
                .FirstOrDefault();
            if (existing is not null)
            {
                throw new InvalidOperationException(
                    $"{existing} holds data but {vault.ExecutorState(config.Id)} is missing; move ledger/{config.Id} and derived/signals/{config.Id} away to start over, or restore the state file");
            }
        }
        else
        {
            foreach (var day in VaultLayout.ListDays(signalsDir))
            {
                if (recorded.SignalsDay is null || day > recorded.SignalsDay)
                {
                    File.Delete(vault.SignalsDay(config.Id, config.Exchange, config.InstId, day)); // decisions never committed
                }
            }
        }

        return OpenFiles(vault, config, recorded);
    }

    /// <summary>
    /// Opens the ledger of <paramref name="config"/> to append after every line already there (a torn tail is cut),
    /// without any state: the venue executor's ledger, which is never cut back.
    /// </summary>
    internal static LedgerWriter OpenAppend(VaultLayout vault, StrategyConfig config) => OpenFiles(vault, config, null);

    private static LedgerWriter OpenFiles(VaultLayout vault, StrategyConfig config, LedgerLengths? recorded)
    {
        var opened = new List<IDisposable>();
        try
        {
            var orders = Track(opened, JsonlAppender.Open(vault.LedgerOrders(config.Id), recorded?.Orders));
            var fills = Track(opened, JsonlAppender.Open(vault.LedgerFills(config.Id), recorded?.Fills));
            var positions = Track(opened, JsonlAppender.Open(vault.LedgerPositions(config.Id), recorded?.Positions));
            JsonlAppender? signals = null;
            if (recorded?.SignalsDay is { } signalsDay)
            {
                signals = Track(opened, JsonlAppender.Open(vault.SignalsDay(config.Id, config.Exchange, config.InstId, signalsDay),
                    recorded.SignalsLength));
            }

            return new LedgerWriter(vault, config, orders, fills, positions, signals, recorded?.SignalsDay);
        }
        catch
        {
            foreach (var item in opened)
            {
                item.Dispose();
            }

            throw;
        }
    }

    public void OnSignal(SignalRecord signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var day = TradeTime.Day(signal.MinuteMs);
        if (_signals is null || _signalsDay != day)
        {
            _signals?.Dispose();
            _signals = null;
            _signals = JsonlAppender.Open(_vault.SignalsDay(_config.Id, _config.Exchange, _config.InstId, day));
            _signalsDay = day;
        }

        var target = _signals;
        _json.Reset(target);
        LedgerJson.WriteSignal(_json, signal);
        EndLine(target);
    }

    public void OnOrder(OrderEvent order)
    {
        _json.Reset(_orders);
        LedgerJson.WriteOrder(_json, _config.Id, order);
        EndLine(_orders);
    }

    public void OnFill(FillEvent fill)
    {
        _json.Reset(_fills);
        LedgerJson.WriteFill(_json, _config.Id, fill);
        EndLine(_fills);
    }

    public void OnPosition(PositionEvent position)
    {
        _json.Reset(_positions);
        LedgerJson.WritePosition(_json, _config.Id, position);
        EndLine(_positions);
    }

    /// <summary>Flushes and fsyncs every file: call before writing the state that records <see cref="Lengths"/>.</summary>
    public void Sync()
    {
        _orders.Sync();
        _fills.Sync();
        _positions.Sync();
        _signals?.Sync();
    }

    /// <summary>Flushes and fsyncs the orders file only (an order's intent must be durable before it is sent).</summary>
    internal void SyncOrders() => _orders.Sync();

    public LedgerLengths Lengths() =>
        new(_orders.Length, _fills.Length, _positions.Length, _signalsDay, _signals?.Length ?? 0);

    public void Dispose()
    {
        _json.Dispose();
        _signals?.Dispose();
        _positions.Dispose();
        _fills.Dispose();
        _orders.Dispose();
    }

    private void EndLine(JsonlAppender appender)
    {
        _json.Flush();
        var span = appender.GetSpan(1);
        span[0] = (byte)'\n';
        appender.Advance(1);
        appender.EndLine();
    }

    private static string SignalsDir(VaultLayout vault, StrategyConfig config) =>
        Path.GetDirectoryName(vault.SignalsDay(config.Id, config.Exchange, config.InstId, new DateOnly(2000, 1, 1)))!;

    private static T Track<T>(List<IDisposable> opened, T item)
        where T : IDisposable
    {
        opened.Add(item);
        return item;
    }
}
