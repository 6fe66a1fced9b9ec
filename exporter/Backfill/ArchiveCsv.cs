using System.Globalization;
using System.IO.Compression;
using System.Text;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Backfill;

/// <summary>Reading the single CSV of a daily archive zip, and the field checks shared by the OKX and Binance readers.</summary>
internal static class ArchiveCsv
{
    /// <summary>Calls <paramref name="onLine"/> with each line (1-based number) of the zip's CSV entry.</summary>
    public static void ReadLines(string zipPath, string fileName, Action<string, long> onLine)
    {
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                ?? throw new BackfillDayException($"{fileName}: the zip holds no .csv file");
            var crc = new Crc32Stream(entry.Open());
            using var reader = new StreamReader(crc, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
            long number = 0;
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    number++;
                    if (line.Length > 0)
                    {
                        onLine(line, number);
                    }
                }
            }
            catch (BackfillDayException)
            {
                // A garbled row may be a damaged zip: read on to the end and check the CRC first.
                reader.BaseStream.CopyTo(Stream.Null);
                CheckCrc(crc, entry, fileName);
                throw;
            }

            CheckCrc(crc, entry, fileName);
        }
        catch (InvalidDataException ex)
        {
            throw new BackfillDayException($"{fileName}: corrupt zip ({ex.Message})", ex);
        }
    }

    private static void CheckCrc(Crc32Stream crc, ZipArchiveEntry entry, string fileName)
    {
        if (crc.Crc != entry.Crc32)
        {
            throw new BackfillDayException(string.Create(CultureInfo.InvariantCulture,
                $"{fileName}: corrupt zip (CRC-32 of the data {crc.Crc:x8}, the zip records {entry.Crc32:x8})"));
        }
    }

    public static long Long(string text, string fileName, long line, string column) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(fileName, line, $"{column} '{text}' is not an integer");

    /// <summary>Copies a positive plain decimal price and size into the item.</summary>
    public static void PxSz(ref TradeItem item, string px, string sz, string fileName, long line)
    {
        if (!ExactDecimal.IsPlain(px) || ExactDecimal.Parse(px) <= 0)
        {
            throw Bad(fileName, line, $"price '{px}' is not a positive plain decimal");
        }

        if (!ExactDecimal.IsPlain(sz) || ExactDecimal.Parse(sz) <= 0)
        {
            throw Bad(fileName, line, $"size '{sz}' is not a positive plain decimal");
        }

        Span<byte> p = stackalloc byte[64];
        Span<byte> s = stackalloc byte[64];
        if (px.Length > 32 || sz.Length > 32 ||
            !item.SetPxSz(p[..Encoding.ASCII.GetBytes(px, p)], s[..Encoding.ASCII.GetBytes(sz, s)]))
        {
            throw Bad(fileName, line, "price or size longer than 32 characters");
        }
    }

    public static BackfillDayException Bad(string fileName, long line, string reason) =>
        new($"{fileName} line {line.ToString(CultureInfo.InvariantCulture)}: {reason}");

    /// <summary>The SHA-256 hex of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
