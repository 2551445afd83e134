namespace CareLedger.Contracts.Notary;

/// <summary>
/// The first anchoring of a salted document hash: the transaction that anchored it and its block. The hash
/// is the state key, and the document type and signer are in that transaction, so the record holds only what
/// points there. Anchors are the ledger's most numerous state rows; each byte here is a byte of every one.
/// </summary>
public sealed record AnchorRecord(string Transaction, long Height);
