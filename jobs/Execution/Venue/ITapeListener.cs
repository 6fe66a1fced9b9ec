namespace Pipeline.Jobs.Execution.Venue;

/// <summary>A venue that fills from the market tape (the paper model): the executor hands it every raw trade it reads, before deciding on it.</summary>
public interface ITapeListener
{
    void OnTrade(in TradeTick trade);
}
