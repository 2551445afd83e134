using System.Text.Json.Nodes;

namespace CareLedger.Client.Wire;

// The JSON shapes of the REST API (docs/api.md). The node serialises these very types, so the SDK and
// the server cannot drift apart. Binary values are lowercase hex (hashes, key ids) or base64 (canonical CBOR).

/// <summary>GET /api/v1/chain: what a client needs to sign for this chain.</summary>
public sealed record ChainInfo(string Chain, string Genesis, long Height);

/// <summary>POST /api/v1/transactions (JSON form).</summary>
public sealed record SubmitRequest(string Transaction);

/// <summary>POST /api/v1/transactions/batch.</summary>
public sealed record BatchSubmitRequest(IReadOnlyList<string> Transactions);

/// <summary>What became of one submitted transaction: pending, committed, rejected (by a contract) or refused (at admission).</summary>
public sealed record SubmitOutcome(string? Id, string Status, string? Code = null, string? Message = null, long? Height = null);

/// <summary>Outcomes of a batch, in input order.</summary>
public sealed record BatchSubmitResponse(IReadOnlyList<SubmitOutcome> Results);

/// <summary>An event raised by a contract.</summary>
public sealed record EventView(string Type, IReadOnlyDictionary<string, string> Attributes);

/// <summary>GET /api/v1/transactions/{id}.</summary>
public sealed record TransactionView(string Id, string Status, string? Type = null, string? Signer = null, long? Height = null,
    int? Index = null, long? LogIndex = null, string? Code = null, string? Message = null,
    IReadOnlyList<EventView>? Events = null, JsonObject? Args = null);

/// <summary>A header signature.</summary>
public sealed record SignatureView(string Key, string Signature);

/// <summary>A signed block header, readable fields plus the canonical encoding (base64) that was signed.</summary>
public sealed record HeaderView(string Chain, long Height, string Hash, string PreviousHash, long Timestamp, int TransactionCount,
    string TransactionRoot, long LogSize, string LogRoot, string StateDigest, string StateSet, string Proposer,
    IReadOnlyList<SignatureView> Signatures, string SignedHeader);

/// <summary>GET /api/v1/blocks/{height}: the header and the ids of its transactions.</summary>
public sealed record BlockView(HeaderView Header, IReadOnlyList<string> Transactions);

/// <summary>GET /api/v1/log/consistency.</summary>
public sealed record ConsistencyView(long Size1, long Size2, string Root1, string Root2, IReadOnlyList<string> Proof);

/// <summary>GET /api/v1/notary/{hash}.</summary>
public sealed record AnchorView(string Hash, string DocumentType, string Signer, string Transaction, long Height, long Timestamp);

/// <summary>RFC 9457 problem details with CareLedger's stable code.</summary>
public sealed record ProblemView(string? Type, string? Title, int? Status, string? Detail, string? Code);

/// <summary>POST /api/v1/checkpoint/cosignatures: the witnesses whose cosignatures were kept, and the size of the newest witnessed checkpoint.</summary>
public sealed record CosignedView(IReadOnlyList<string> Witnesses, long WitnessedSize);
