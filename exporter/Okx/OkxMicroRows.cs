using System.Text.Json;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// Reads one data row of each OKX microstructure channel into its record (PROTOCOL.md, "Microstructure"): the
/// exchange's decimal strings kept as sent and checked to be plain decimals; the first problem found is returned.
/// </summary>
internal static class OkxMicroRows
{
    internal static string? ReadQuote(ref Utf8JsonReader reader, string instId, long recvTs, List<object> pending)
    {
        long ts = -1, seq = -1;
        BookLevel? bid = null, ask = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (OkxMicroFields.TryTsOrSeqId(name, ref reader, ref ts, ref seq, out var fieldProblem))
            {
                if (fieldProblem is not null)
                {
                    return fieldProblem;
                }
            }
            else if (name.SequenceEqual("bids"u8) || name.SequenceEqual("asks"u8))
            {
                var isBids = name.SequenceEqual("bids"u8);
                var levels = new List<BookLevel>(1);
                if (ReadLevels(ref reader, levels, isBids ? "bids" : "asks") is { } problem)
                {
                    return problem;
                }

                if (levels.Count == 0)
                {
                    return (isBids ? "bids" : "asks") + " is empty: a quote needs both sides";
                }

                if (isBids)
                {
                    bid = levels[0];
                }
                else
                {
                    ask = levels[0];
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (ts < 0 || seq < 0 || bid is null || ask is null)
        {
            return "bbo-tbt row lacks " + (ts < 0 ? "ts" : seq < 0 ? "seqId" : bid is null ? "bids" : "asks");
        }

        pending.Add(new QuoteRecord
        {
            Exchange = OkxVenue.Name, InstId = instId, Ts = ts, Seq = seq, BidPx = bid.Px, BidSz = bid.Sz,
            AskPx = ask.Px, AskSz = ask.Sz, RecvTs = recvTs, Src = "ws",
        });
        return null;
    }

    internal static string? ReadBook(ref Utf8JsonReader reader, string instId, BookRecordType type, long recvTs, string src, List<object> pending)
    {
        long ts = -1, seq = -1;
        long? prev = null, checksum = null;
        bool hasPrev = false, hasBids = false, hasAsks = false;
        var bids = new List<BookLevel>();
        var asks = new List<BookLevel>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (OkxMicroFields.TryTsOrSeqId(name, ref reader, ref ts, ref seq, out var fieldProblem))
            {
                if (fieldProblem is not null)
                {
                    return fieldProblem;
                }
            }
            else if (name.SequenceEqual("prevSeqId"u8))
            {
                if (!OkxMicroFields.TryPrevSeqId(ref reader, out var p))
                {
                    return "prevSeqId is not an integer ≥ -1";
                }

                hasPrev = true;
                prev = p;
            }
            else if (name.SequenceEqual("checksum"u8))
            {
                if (!OkxMicroFields.TryChecksum(ref reader, out checksum))
                {
                    return "checksum is not a signed 32-bit integer";
                }
            }
            else if (name.SequenceEqual("bids"u8))
            {
                hasBids = true;
                if (ReadLevels(ref reader, bids, "bids") is { } problem)
                {
                    return problem;
                }
            }
            else if (name.SequenceEqual("asks"u8))
            {
                hasAsks = true;
                if (ReadLevels(ref reader, asks, "asks") is { } problem)
                {
                    return problem;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (ts < 0 || !hasBids || !hasAsks)
        {
            return "books row lacks " + (ts < 0 ? "ts" : !hasBids ? "bids" : "asks");
        }

        if (type == BookRecordType.Update && (seq < 0 || !hasPrev || prev < 0))
        {
            return seq < 0 ? "books update lacks seqId" : !hasPrev ? "books update lacks prevSeqId" : "books update has prevSeqId -1 (a snapshot's)";
        }

        if (type == BookRecordType.Snapshot && src == "ws" && seq < 0)
        {
            return "books snapshot lacks seqId";
        }

        pending.Add(new BookRecord
        {
            Exchange = OkxVenue.Name, InstId = instId, Type = type, Ts = ts, Seq = seq < 0 ? null : seq,
            PrevSeq = type == BookRecordType.Update ? prev : null, Bids = bids, Asks = asks, Checksum = checksum,
            RecvTs = recvTs, Src = src,
        });
        return null;
    }

    internal static string? ReadLiquidations(ref Utf8JsonReader reader, IReadOnlySet<string> instIds, long recvTs, List<object> pending)
    {
        // The documented row puts details before instId: read the row, then its details.
        string? instId = null;
        var details = new List<LiquidationRecord>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("instId"u8))
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return "instId is not a string";
                }

                instId = reader.GetString();
            }
            else if (name.SequenceEqual("details"u8))
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return "details is not an array";
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return "details element is not an object";
                    }

                    if (ReadLiquidation(ref reader, recvTs, details) is { } problem)
                    {
                        return problem;
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (instId is null)
        {
            return "liquidation row lacks instId";
        }

        if (instIds.Contains(instId))
        {
            pending.AddRange(details.Select(d => d with { InstId = instId }));
        }

        return null;
    }

    internal static string? ReadLiquidation(ref Utf8JsonReader reader, long recvTs, List<LiquidationRecord> details)
    {
        long ts = -1;
        string? side = null, px = null, sz = null, posSide = null, bkLoss = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("ts"u8))
            {
                if (!OkxMicroFields.TryTs(ref reader, out ts))
                {
                    return "liquidation ts is not a ms timestamp";
                }
            }
            else if (name.SequenceEqual("side"u8))
            {
                side = reader.TokenType == JsonTokenType.String && (reader.ValueSpan.SequenceEqual("buy"u8) || reader.ValueSpan.SequenceEqual("sell"u8))
                    ? reader.GetString() : null;
                if (side is null)
                {
                    return "liquidation side is not buy or sell";
                }
            }
            else if (name.SequenceEqual("bkPx"u8))
            {
                if ((px = ReadDecimal(ref reader, positive: true)) is null)
                {
                    return "bkPx is not a positive plain decimal string";
                }
            }
            else if (name.SequenceEqual("sz"u8))
            {
                if ((sz = ReadDecimal(ref reader, positive: true)) is null)
                {
                    return "liquidation sz is not a positive plain decimal string";
                }
            }
            else if (name.SequenceEqual("posSide"u8))
            {
                posSide = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0 ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("bkLoss"u8))
            {
                bkLoss = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0 ? reader.GetString() : null;
            }
            else
            {
                reader.Skip();
            }
        }

        if (ts < 0 || side is null || px is null || sz is null)
        {
            return "liquidation lacks " + (ts < 0 ? "ts" : side is null ? "side" : px is null ? "bkPx" : "sz");
        }

        details.Add(new LiquidationRecord
        {
            Exchange = OkxVenue.Name, InstId = string.Empty, Ts = ts, Side = side, Px = px, Sz = sz, PosSide = posSide,
            BkLoss = bkLoss, RecvTs = recvTs, Src = "ws",
        });
        return null;
    }

    internal static string? ReadDerivatives(ref Utf8JsonReader reader, string instId, string channel, long recvTs, List<object> pending)
    {
        long ts = -1;
        long? fundingTime = null;
        string? markPx = null, fundingRate = null, oi = null, oiCcy = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("ts"u8))
            {
                if (!OkxMicroFields.TryTs(ref reader, out ts))
                {
                    return "ts is not a ms timestamp";
                }
            }
            else if (name.SequenceEqual("instId"u8))
            {
                if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(instId))
                {
                    return $"row instId differs from the subscribed {instId}";
                }
            }
            else if (name.SequenceEqual("markPx"u8) && channel == OkxMicroChannels.MarkPrice)
            {
                if ((markPx = ReadDecimal(ref reader, positive: true)) is null)
                {
                    return "markPx is not a positive plain decimal string";
                }
            }
            else if (name.SequenceEqual("fundingRate"u8) && channel == OkxMicroChannels.FundingRate)
            {
                if ((fundingRate = ReadDecimal(ref reader, positive: false)) is null)
                {
                    return "fundingRate is not a plain decimal string";
                }
            }
            else if (name.SequenceEqual("fundingTime"u8) && channel == OkxMicroChannels.FundingRate)
            {
                if (!OkxMicroFields.TryTs(ref reader, out var t))
                {
                    return "fundingTime is not a ms timestamp";
                }

                fundingTime = t;
            }
            else if (name.SequenceEqual("oi"u8) && channel == OkxMicroChannels.OpenInterest)
            {
                if ((oi = ReadDecimal(ref reader, positive: false)) is null)
                {
                    return "oi is not a plain decimal string";
                }
            }
            else if (name.SequenceEqual("oiCcy"u8) && channel == OkxMicroChannels.OpenInterest)
            {
                if ((oiCcy = ReadDecimal(ref reader, positive: false)) is null)
                {
                    return "oiCcy is not a plain decimal string";
                }
            }
            else
            {
                reader.Skip();
            }
        }

        var missing = ts < 0 ? "ts" : channel switch
        {
            OkxMicroChannels.MarkPrice when markPx is null => "markPx",
            OkxMicroChannels.FundingRate when fundingRate is null => "fundingRate",
            OkxMicroChannels.FundingRate when fundingTime is null => "fundingTime",
            OkxMicroChannels.OpenInterest when oi is null => "oi",
            _ => null,
        };
        if (missing is not null)
        {
            return $"{channel} row lacks {missing}";
        }

        pending.Add(new DerivativesRecord
        {
            Exchange = OkxVenue.Name, InstId = instId, Ts = ts, Channel = channel, MarkPx = markPx, FundingRate = fundingRate,
            NextFundingTime = fundingTime, OpenInterest = oi, OpenInterestCcy = oiCcy, RecvTs = recvTs, Src = "ws",
        });
        return null;
    }

    /// <summary>[[px, sz, "0", orders], ...]: price positive, size ≥ 0 ("0" deletes in an update); the rest is ignored.</summary>
    internal static string? ReadLevels(ref Utf8JsonReader reader, List<BookLevel> levels, string side)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return side + " is not an array";
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray || !reader.Read())
            {
                return side + ": a level is not an array";
            }

            var px = ReadDecimal(ref reader, positive: true);
            if (px is null || !reader.Read())
            {
                return side + ": a level's price is not a positive plain decimal string";
            }

            var sz = ReadDecimal(ref reader, positive: false);
            if (sz is null || sz.StartsWith('-'))
            {
                return side + ": a level's size is not a non-negative plain decimal string";
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }

            levels.Add(new BookLevel(px, sz));
        }

        return null;
    }

    internal static string? ReadDecimal(ref Utf8JsonReader reader, bool positive) =>
        OkxMicroFields.IsDecimal(reader, positive) ? reader.GetString() : null;
}
