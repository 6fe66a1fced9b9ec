namespace Pipeline.Exporter.Okx.Trading;

/// <summary>Where <see cref="OkxPrivateStream"/> delivers what the private WebSocket says (OKX units: contracts).</summary>
internal interface IOkxPushSink
{
    void OnOrder(OkxOrder order);

    void OnPosition(OkxPositionRow position);

    /// <summary>The stream was down from <paramref name="sinceMs"/> (OKX time) until the reconnect that calls this.</summary>
    void OnGap(string reason, long sinceMs);
}
