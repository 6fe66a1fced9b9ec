namespace Pipeline.Vault.DuckDb;

/// <summary>One column of a view's fixed schema: the record field's name and how it is stored and typed.</summary>
public sealed record ViewColumn(string Name, ViewColumnKind Kind)
{
    /// <summary>The type <c>read_json(..., columns=...)</c> reads the field as (decimals and ISO times as text).</summary>
    public string StoredType => Kind switch
    {
        ViewColumnKind.WholeNumber or ViewColumnKind.MsTime => "BIGINT",
        _ => "VARCHAR",
    };

    /// <summary>The column's type in the view.</summary>
    public string ViewType => Kind switch
    {
        ViewColumnKind.Text => "VARCHAR",
        ViewColumnKind.WholeNumber => "BIGINT",
        ViewColumnKind.IsoTime or ViewColumnKind.MsTime => "TIMESTAMPTZ",
        ViewColumnKind.Levels => ViewSchemas.LevelsType,
        _ => ViewSchemas.DecimalTypeOf(Kind),
    };

    /// <summary>The scale of a decimal column (0 for the others).</summary>
    public int Scale => Kind switch
    {
        ViewColumnKind.Amount => ViewSchemas.AmountScale,
        ViewColumnKind.Notional => ViewSchemas.NotionalScale,
        ViewColumnKind.Computed => ViewSchemas.ComputedScale,
        _ => 0,
    };

    public bool IsDecimal => Scale > 0;
}
