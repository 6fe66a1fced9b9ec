using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Pipeline.Jobs.Health;

/// <summary>
/// Serves <c>GET /health</c> (JSON; 200 ready, 503 not ready) and <c>GET /metrics</c> (Prometheus text) with the
/// BCL's HttpListener (bound by <see cref="HealthListener.Bind"/> while the host is built): no web framework in the process.
/// </summary>
public sealed class HealthServer(HealthListener listener, HealthProbe probe, PipelineMetrics metrics) : IHostedService, IDisposable
{
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>The base URL, e.g. http://127.0.0.1:9464/ (with the port picked when configured as 0).</summary>
    public Uri Url => listener.Url;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => ServeAsync(listener.Listener, _stop.Token), CancellationToken.None);
        Log.Information("Health endpoints at {HealthUrl}: /health and /metrics", Url);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        listener.Listener.Stop();
        await _loop.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        listener.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync(HttpListener http, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await http.GetContextAsync().WaitAsync(token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return; // stopping
            }

            // Each request on its own: a client that stops reading must not stall the next probe.
            _ = Task.Run(() => HandleAsync(context, token), CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken token)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            if (context.Request.HttpMethod != "GET")
            {
                response.StatusCode = 405;
            }
            else if (path == "/health")
            {
                var report = probe.Read();
                metrics.Update(report);
                response.StatusCode = report.Ready ? 200 : 503;
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.OutputStream, report, Json, token);
            }
            else if (path == "/metrics")
            {
                metrics.Update(probe.Read());
                response.StatusCode = 200;
                response.ContentType = MetricsContentType;
                await metrics.WriteAsync(response.OutputStream, token);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
        // Catch-all on purpose: one bad request (a client gone, a state file mid-write) must not stop the endpoint.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Warning("Health endpoint {Path}: {Error}", context.Request.Url?.AbsolutePath, ex.Message);
            TrySet500(response);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away.
            }
        }
    }

    private static void TrySet500(HttpListenerResponse response)
    {
        try
        {
            response.StatusCode = 500;
        }
        catch (InvalidOperationException)
        {
            // Headers already sent.
        }
    }
}
