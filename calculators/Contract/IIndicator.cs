namespace Pipeline.Calculators.Contract;

/// <summary>
/// What every indicator declares, whatever its state: its name (the derived/ and state/ folder) and
/// each output field with its warm-up, in line order. Status and the runner read warm-up from here;
/// the indicators read their own window lengths from the same declaration.
/// </summary>
public interface IIndicator
{
    string Name { get; }

    IReadOnlyList<IndicatorOutput> Outputs { get; }
}
