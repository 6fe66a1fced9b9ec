using System.Buffers.Binary;
using System.Numerics;

namespace Pipeline.Vault.Micro;

/// <summary>
/// XXH64 (Yann Collet's xxHash, 64-bit, seed 0), streaming: the book checkpoint index's fingerprint of the day-file bytes
/// a checkpoint was built from. Fast (several GB/s), so checking that a day file is unchanged costs a read of it, not a
/// parse; not cryptographic (it detects changed files, not forged ones). Checked against the reference library's values.
/// </summary>
public sealed class XxHash64
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;
    private const ulong P4 = 0x85EBCA77C2B2AE63UL;
    private const ulong P5 = 0x27D4EB2F165667C5UL;

    private readonly byte[] _pending = new byte[32];
    private int _pendingLength;
    private ulong _v1 = unchecked(P1 + P2), _v2 = P2, _v3, _v4 = unchecked(0UL - P1);
    private long _length;

    /// <summary>The hash of <paramref name="data"/> in one call.</summary>
    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        var hash = new XxHash64();
        hash.Append(data);
        return hash.Digest();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _length += data.Length;
        if (_pendingLength > 0)
        {
            var take = Math.Min(32 - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < 32)
            {
                return;
            }

            Stripe(_pending);
            _pendingLength = 0;
        }

        while (data.Length >= 32)
        {
            Stripe(data);
            data = data[32..];
        }

        data.CopyTo(_pending);
        _pendingLength = data.Length;
    }

    /// <summary>The hash of everything appended so far (the state is left as it is).</summary>
    public ulong Digest()
    {
        unchecked
        {
            ulong h;
            if (_length >= 32)
            {
                h = BitOperations.RotateLeft(_v1, 1) + BitOperations.RotateLeft(_v2, 7) + BitOperations.RotateLeft(_v3, 12) + BitOperations.RotateLeft(_v4, 18);
                h = Merge(h, _v1);
                h = Merge(h, _v2);
                h = Merge(h, _v3);
                h = Merge(h, _v4);
            }
            else
            {
                h = P5;
            }

            h += (ulong)_length;
            ReadOnlySpan<byte> rest = _pending.AsSpan(0, _pendingLength);
            while (rest.Length >= 8)
            {
                h ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(rest));
                h = BitOperations.RotateLeft(h, 27) * P1 + P4;
                rest = rest[8..];
            }

            if (rest.Length >= 4)
            {
                h ^= BinaryPrimitives.ReadUInt32LittleEndian(rest) * P1;
                h = BitOperations.RotateLeft(h, 23) * P2 + P3;
                rest = rest[4..];
            }

            foreach (var b in rest)
            {
                h ^= b * P5;
                h = BitOperations.RotateLeft(h, 11) * P1;
            }

            h ^= h >> 33;
            h *= P2;
            h ^= h >> 29;
            h *= P3;
            h ^= h >> 32;
            return h;
        }
    }

    private void Stripe(ReadOnlySpan<byte> stripe)
    {
        _v1 = Round(_v1, BinaryPrimitives.ReadUInt64LittleEndian(stripe));
        _v2 = Round(_v2, BinaryPrimitives.ReadUInt64LittleEndian(stripe[8..]));
        _v3 = Round(_v3, BinaryPrimitives.ReadUInt64LittleEndian(stripe[16..]));
        _v4 = Round(_v4, BinaryPrimitives.ReadUInt64LittleEndian(stripe[24..]));
    }

    private static ulong Round(ulong acc, ulong input) => unchecked(BitOperations.RotateLeft(acc + input * P2, 31) * P1);

    private static ulong Merge(ulong acc, ulong value) => unchecked(((acc ^ Round(0, value)) * P1) + P4);
}
