using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Storage;

/// <summary>A validator's signature over the header it computed at a height (consortium mode).</summary>
public sealed record HeaderVote(long Height, Hash HeaderHash, HeaderSignature Signature);
