using System.Net;
using Pipeline.Exporter.Binance;

namespace Pipeline.Exporter.Tests.Binance.Trading;

/// <summary>
/// Counts requests by method and path; can answer the next request of one path itself (an exchange or gateway failure);
/// <see cref="AfterTime"/> runs after each server-time answer.
/// </summary>
internal sealed class BinanceRequestCounter : DelegatingHandler
{
    private readonly List<(HttpMethod Method, string Path)> _seen = [];
    private (HttpMethod Method, string Path, HttpStatusCode Status, string Body)? _answer;

    public Action? AfterTime { get; set; }

    public void AnswerNext(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        lock (_seen)
        {
            _answer = (method, path, status, body);
        }
    }

    public int Count(HttpMethod method, string path)
    {
        lock (_seen)
        {
            return _seen.Count(s => s.Method == method && s.Path == path);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        (HttpMethod Method, string Path, HttpStatusCode Status, string Body)? answer = null;
        lock (_seen)
        {
            _seen.Add((request.Method, request.RequestUri!.AbsolutePath));
            if (_answer is { } a && a.Method == request.Method && a.Path == request.RequestUri.AbsolutePath)
            {
                (answer, _answer) = (a, null);
            }
        }

        if (answer is { } given)
        {
            return new HttpResponseMessage(given.Status) { Content = new StringContent(given.Body) };
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri.AbsolutePath == BinanceServerClock.TimePath)
        {
            AfterTime?.Invoke();
        }

        return response;
    }
}
