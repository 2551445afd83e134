using CareLedger.Core.Crypto;

namespace CareLedger.Core.Ledger;

/// <summary>A node's ES256 signature over a header's hash bytes.</summary>
public readonly record struct HeaderSignature(KeyId Signer, Signature Signature);
