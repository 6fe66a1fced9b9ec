namespace Pipeline.Vault.Micro;

/// <summary>One price level as sent: an exact price and the new total size there ("0" removes the level in a change).</summary>
public sealed record BookLevel(string Px, string Sz);
