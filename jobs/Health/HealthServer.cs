using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Pipeline.Jobs.Health;

/// <summary>
/// Serves <c>GET /health</c> (JSON; 200 ready, 503 not ready) and <c>GET /metrics</c> (Prometheus text) with the
/// BCL's HttpListener: no web framework in the process. Registered before the host state service, so it listens
/// before the state file says "running" (which then names its URL) and a port in use stops the start cleanly.
/// </summary>
public sealed class HealthServer(IPEndPoint address, HealthProbe probe, PipelineMetrics metrics) : IHostedService, IDisposable
{
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly CancellationTokenSource _stop = new();
    private HttpListener? _listener;
    private Task _loop = Task.CompletedTask;

    /// <summary>The base URL once listening, e.g. http://127.0.0.1:9464/ (the port picked when configured as 0).</summary>
    public Uri? Url { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // HttpListener cannot take port 0: ask the OS for a free port and take it; a race lost to another
        // process (rare) is retried with another free port.
        var attempts = address.Port == 0 ? 5 : 1;
        for (var attempt = 1; ; attempt++)
        {
            var port = address.Port == 0 ? FreePort(address.Address) : address.Port;
            var host = address.Address.Equals(IPAddress.Any) ? "+" : address.Address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{address.Address}]"
                : address.Address.ToString();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{host}:{port}/");
            if (IPAddress.Loopback.Equals(address.Address))
            {
                // HttpListener routes by the Host header: `curl localhost:9464/health` must not get a 404.
                listener.Prefixes.Add($"http://localhost:{port}/");
            }

            try
            {
                listener.Start();
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                if (attempt < attempts)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"health.address {Show(address.Address, port)}: cannot listen ({ex.Message}); set health.address to a free port, port 0 for any, or off");
            }

            _listener = listener;
            Url = new Uri($"http://{Show(address.Address, port)}/");
            break;
        }

        _loop = Task.Run(() => ServeAsync(_listener, _stop.Token), CancellationToken.None);
        Log.Information("Health endpoints: {Url}health and {Url}metrics", Url, Url);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        await _loop.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _listener?.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync(HttpListener listener, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return; // stopping
            }

            // One request at a time is plenty for a scraper and a curl; a slow client cannot pile up work.
            await HandleAsync(context, token);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken token)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            if (context.Request.HttpMethod is not ("GET" or "HEAD"))
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

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string Show(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
