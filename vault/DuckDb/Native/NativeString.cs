using System.Runtime.InteropServices;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>
/// <c>duckdb_string_t</c> (16 bytes): a length, then either up to 12 inlined bytes or a 4-byte
/// prefix and a pointer to the bytes. Non-owning: valid while its data chunk lives.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal unsafe struct NativeString
{
    public const int InlineLength = 12;

    [FieldOffset(0)]
    public uint Length;

    [FieldOffset(4)]
    public fixed byte Inlined[InlineLength];

    [FieldOffset(8)]
    public byte* Pointer;

    /// <summary>The bytes of the string at <paramref name="self"/> (which must stay pinned, e.g. in a chunk).</summary>
    public static ReadOnlySpan<byte> Bytes(NativeString* self)
    {
        var length = (int)self->Length;
        return length <= InlineLength
            ? new ReadOnlySpan<byte>(self->Inlined, length)
            : new ReadOnlySpan<byte>(self->Pointer, length);
    }
}
