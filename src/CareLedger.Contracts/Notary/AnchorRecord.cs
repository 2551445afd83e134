namespace CareLedger.Contracts.Notary;

/// <summary>The first anchoring of a salted document hash.</summary>
public sealed record AnchorRecord(string Hash, string DocumentType, string Signer, string Transaction, long Height, long Timestamp);
