namespace Pipeline.Vault.Trades;

/// <summary>Why a raw trade line is not a valid trade (<see cref="RawTradeRules"/>); <see cref="None"/> when it is.</summary>
public enum RawLineError : byte
{
    None = 0,
    NotUtf8,
    NotJson,
    MissingKey,
    BadExchange,
    BadInstId,
    BadTradeId,
    BadTs,
    BadRecvTs,
    BadPx,
    BadSz,
    BadQtyBase,
    BadSide,
    BadContract,
    BadSrc,
    BadOptional,

    /// <summary>A well-formed line of another exchange than the file's.</summary>
    ForeignExchange,

    /// <summary>A well-formed line of another instrument than the file's.</summary>
    ForeignInstId,
}
