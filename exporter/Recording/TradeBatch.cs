namespace Pipeline.Exporter.Recording;

/// <summary>
/// The trades of one parsed frame or REST page with the instrument index of each, in reusable
/// arrays: a parser fills it for every frame without allocating.
/// </summary>
public sealed class TradeBatch
{
    private TradeItem[] _items = new TradeItem[8];
    private int[] _instruments = new int[8];

    public int Count { get; private set; }

    public ReadOnlySpan<TradeItem> Items => _items.AsSpan(0, Count);

    /// <summary>Index (in the parser's instrument list) of the instrument of item i.</summary>
    public int InstrumentOf(int i) => _instruments[i];

    public void Clear() => Count = 0;

    public void Add(in TradeItem item, int instrument)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Count * 2);
            Array.Resize(ref _instruments, Count * 2);
        }

        _items[Count] = item;
        _instruments[Count] = instrument;
        Count++;
    }
}
