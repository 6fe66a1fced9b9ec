namespace Pipeline.Exporter.Trading;

public enum VenueSide
{
    Buy,
    Sell,
}
