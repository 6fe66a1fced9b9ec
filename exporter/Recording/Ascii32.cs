using System.Runtime.CompilerServices;

namespace Pipeline.Exporter.Recording;

/// <summary>32 inline bytes: a price or size as sent, carried through the queue without a string.</summary>
[InlineArray(32)]
public struct Ascii32
{
    private byte _element0;
}
