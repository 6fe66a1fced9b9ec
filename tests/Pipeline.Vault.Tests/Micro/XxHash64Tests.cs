using System.Text;
using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Tests.Micro;

/// <summary><see cref="XxHash64"/> against values computed with the reference library (libxxhash 0.8.1, XXH64, seed 0).</summary>
public sealed class XxHash64Tests
{
    public static TheoryData<string, ulong> Vectors => new()
    {
        { "", 0xEF46DB3751D8E999UL },
        { "a", 0xD24EC4F1A98C6E5BUL },
        { "abc", 0x44BC2CF5AD770999UL },
        { "Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Hash_Text_EqualsTheReferenceLibrary(string text, ulong expected) =>
        Assert.Equal(expected, XxHash64.Hash(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Append_InChunksOfAnySize_EqualsTheReferenceLibraryOverManyStripes()
    {
        var data = Enumerable.Range(0, 3).SelectMany(_ => Enumerable.Range(0, 256).Select(i => (byte)i)).Concat("xyz"u8.ToArray()).ToArray(); // 771 bytes
        Assert.Equal(0xE921A1B45BD779F8UL, XxHash64.Hash(data));
        foreach (var chunk in new[] { 1, 7, 31, 32, 33, 100 })
        {
            var hash = new XxHash64();
            for (var i = 0; i < data.Length; i += chunk)
            {
                hash.Append(data.AsSpan(i, Math.Min(chunk, data.Length - i)));
            }

            Assert.Equal(0xE921A1B45BD779F8UL, hash.Digest());
        }
    }
}
