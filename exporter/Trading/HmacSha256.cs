using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Exporter.Trading;

/// <summary>HMAC-SHA256 of a UTF-8 text without a per-call HMAC object; the text is encoded on the stack (or a pooled buffer when long).</summary>
internal static class HmacSha256
{
    public const int Size = 32;
    private const int StackLimit = 1024;

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<char> text, Span<byte> mac)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            HMACSHA256.HashData(key, buffer[..length], mac);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
