namespace CareLedger.Contracts.Network;

/// <summary>A validator node approved by governance: its organisation, key, Raft and API addresses, status.</summary>
public sealed record NodeRecord(string Name, string Organisation, string NodeKey, string PublicKey, string Raft, string Api, string Status);

/// <summary>A governance proposal to add (<c>add</c>) or remove (<c>remove</c>) a validator node.</summary>
public sealed record NodeProposal(string Id, string Change, NodeRecord Node, IReadOnlyList<string> Approvals, string Status);
