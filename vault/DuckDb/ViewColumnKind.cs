namespace Pipeline.Vault.DuckDb;

/// <summary>How a record field is stored in a day file and which SQL type the views give it.</summary>
public enum ViewColumnKind
{
    /// <summary>A JSON string: VARCHAR.</summary>
    Text,

    /// <summary>A JSON integer: BIGINT.</summary>
    WholeNumber,

    /// <summary>An ISO-8601 UTC string ("2024-07-03T09:46:00Z"): TIMESTAMPTZ.</summary>
    IsoTime,

    /// <summary>Unix milliseconds as a JSON integer: TIMESTAMPTZ (years 1–9999, else unrepresentable).</summary>
    MsTime,

    /// <summary>
    /// A recorded price or quantity (decimal string): <see cref="ViewSchemas.AmountType"/>, DECIMAL(38,10).
    /// Every product of two amounts is DECIMAL(38,20): exact, with 18 integer digits for it and its sums.
    /// </summary>
    Amount,

    /// <summary>An exact sum of price × quantity products (decimal string): <see cref="ViewSchemas.NotionalType"/>, DECIMAL(38,20).</summary>
    Notional,

    /// <summary>
    /// A computed value (quotient, root, average: vwap, sigma, ADX, PnL, …; decimal string with up to 28
    /// decimals, as C# decimal writes it): <see cref="ViewSchemas.ComputedType"/>, DECIMAL(38,28).
    /// </summary>
    Computed,

    /// <summary>
    /// A book side stored as the JSON text of [["px","sz"], ...]: a list of {px, sz} structs, each
    /// <see cref="ViewSchemas.AmountType"/> (<see cref="ViewSchemas.LevelsType"/>).
    /// </summary>
    Levels,
}
