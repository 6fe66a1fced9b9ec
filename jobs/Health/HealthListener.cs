using System.Net;
using System.Net.Sockets;

namespace Pipeline.Jobs.Health;

/// <summary>
/// The HttpListener of /health and /metrics, bound while the host is built: a port in use stops <c>pipeline run</c>
/// with one line (exit 1) before anything starts or the host state says running.
/// </summary>
public sealed class HealthListener : IDisposable
{
    private HealthListener(HttpListener listener, Uri url)
    {
        Listener = listener;
        Url = url;
    }

    public HttpListener Listener { get; }

    /// <summary>The base URL, e.g. http://127.0.0.1:9464/ (with the port picked when configured as 0).</summary>
    public Uri Url { get; }

    public static HealthListener Bind(IPEndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // HttpListener cannot take port 0: ask the OS for a free port and take it; a race lost to another
        // process (rare) is retried with another free port.
        var attempts = address.Port == 0 ? 5 : 1;
        for (var attempt = 1; ; attempt++)
        {
            var port = address.Port == 0 ? FreePort(address.Address) : address.Port;
            var host = address.Address.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any) ? "+"
                : address.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]"
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
                return new HealthListener(listener, new Uri($"http://{Show(address.Address, port)}/"));
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                if (attempt >= attempts)
                {
                    throw new InvalidOperationException(
                        $"health.address {Show(address.Address, port)}: cannot listen ({ex.Message}); set health.address to a free port, port 0 for any, or off", ex);
                }
            }
        }
    }

    public void Dispose() => Listener.Close();

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string Show(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
