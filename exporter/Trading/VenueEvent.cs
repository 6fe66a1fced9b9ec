namespace Pipeline.Exporter.Trading;

/// <summary>What a venue's private stream says (see <see cref="IOrderVenue.Events"/>).</summary>
public abstract record VenueEvent;

/// <summary>An order changed (accepted, partly or wholly filled, canceled, expired).</summary>
public sealed record VenueOrderUpdate(VenueOrder Order) : VenueEvent;

/// <summary>An execution. A venue that reports the fill inside the order update (Binance ORDER_TRADE_UPDATE) writes both events.</summary>
public sealed record VenueFillUpdate(VenueFill Fill) : VenueEvent;

/// <summary>The position changed (Binance ACCOUNT_UPDATE, OKX positions channel).</summary>
public sealed record VenuePositionUpdate(VenuePosition Position) : VenueEvent;

/// <summary>The stream was down between <paramref name="SinceMs"/> and now (venue-local ms of the drop): events may be lost; reconcile.</summary>
public sealed record VenueStreamGap(string Reason, long SinceMs) : VenueEvent;
