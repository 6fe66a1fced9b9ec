using System.Text;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;

namespace Pipeline.Simulator.Truth;

/// <summary>
/// What each WebSocket connection was sent of the streams no venue replays (quotes, liquidations), in the truth's
/// <see cref="TruthLayout.DeliveriesDir"/>: a file per connection (created on its first such record), one line per record
/// sent naming its line in the instrument's truth file, and a last line saying how the connection ended. Lets a test
/// tell a record lost with a dead connection (legitimate) from one a live recorder dropped (a bug).
/// </summary>
public sealed class DeliveryLog(string truthDir, TimeProvider time)
{
    private int _opened;

    /// <summary>The log of one new connection (numbered in the order connections open).</summary>
    public Connection Open(string connId, string exchange) =>
        new(TruthLayout.DeliveryPath(truthDir, Interlocked.Increment(ref _opened), connId), connId, exchange, time);

    /// <summary>One connection's log; written by its send loop, then ended once (single writer).</summary>
    public sealed class Connection(string path, string connId, string exchange, TimeProvider time)
    {
        private JsonlAppender? _file;

        /// <summary>Records a micro frame sent on the connection (only quotes and liquidations with a truth line).</summary>
        public void Sent(MicroFrame frame)
        {
            ArgumentNullException.ThrowIfNull(frame);
            var kind = frame.Channel switch
            {
                MicroChannel.Quotes => MicroKind.Quotes,
                MicroChannel.Liquidations => MicroKind.Liquidations,
                _ => (MicroKind?)null,
            };
            if (kind is null || frame.TruthLine < 0)
            {
                return;
            }

            if (_file is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                _file = JsonlAppender.Open(path, time: time);
                _file.AppendLine(Encoding.UTF8.GetBytes($"{{\"conn\":\"{connId}\",\"exchange\":\"{exchange}\"}}"));
            }

            _file.AppendLine(Encoding.UTF8.GetBytes(
                $"{{\"kind\":\"{MicroKinds.Name(kind.Value)}\",\"instId\":\"{frame.InstId}\",\"line\":{frame.TruthLine}}}"));
        }

        /// <summary>Writes how the connection ended (see <see cref="TruthLayout.DeliveryEnds"/>) and closes the file.</summary>
        public void End(string end, int clientCode)
        {
            if (_file is null)
            {
                return;
            }

            _file.AppendLine(Encoding.UTF8.GetBytes($"{{\"end\":\"{end}\",\"clientCode\":{clientCode}}}"));
            _file.Dispose();
            _file = null;
        }
    }
}
