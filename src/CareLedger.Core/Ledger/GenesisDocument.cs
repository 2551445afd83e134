using System.Formats.Cbor;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;

namespace CareLedger.Core.Ledger;

/// <summary>
/// The document that founds a chain: its id, start time, the nodes whose signatures make a header
/// valid, the founding organisations with their keys, and the governance rule. The genesis block's
/// previous-hash field is SHA-256 of this document's canonical encoding, so the chain is anchored to it.
/// </summary>
public sealed record GenesisDocument
{
    /// <summary>Chain id; every transaction is signed for it.</summary>
    public required string Chain { get; init; }

    /// <summary>Unix milliseconds: the genesis block's timestamp.</summary>
    public required long Timestamp { get; init; }

    /// <summary>DER SubjectPublicKeyInfo of each validator node key (header signers).</summary>
    public required IReadOnlyList<byte[]> Validators { get; init; }

    /// <summary>Founding organisations.</summary>
    public required IReadOnlyList<GenesisOrganisation> Organisations { get; init; }

    /// <summary>"majority": more than half of the governing organisations approve a new member.</summary>
    public string GovernanceRule { get; init; } = "majority";

    /// <summary>Canonical encoding.</summary>
    public byte[] Encode()
    {
        var w = CanonicalCbor.CreateWriter();
        w.WriteStartMap(5);
        w.WriteTextString("chain");
        w.WriteTextString(Chain);
        w.WriteTextString("time");
        w.WriteInt64(Timestamp);
        w.WriteTextString("rule");
        w.WriteTextString(GovernanceRule);
        w.WriteTextString("validators");
        w.WriteStartArray(Validators.Count);
        foreach (var v in Validators)
        {
            w.WriteByteString(v);
        }
        w.WriteEndArray();
        w.WriteTextString("organisations");
        w.WriteStartArray(Organisations.Count);
        foreach (var org in Organisations)
        {
            w.WriteStartMap(4);
            w.WriteTextString("id");
            w.WriteTextString(org.Id);
            w.WriteTextString("kind");
            w.WriteTextString(org.Kind);
            w.WriteTextString("keys");
            w.WriteStartArray(org.Keys.Count);
            foreach (var k in org.Keys)
            {
                w.WriteByteString(k);
            }
            w.WriteEndArray();
            w.WriteTextString("governing");
            w.WriteBoolean(org.Governing);
            w.WriteEndMap();
        }
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>SHA-256 of the canonical encoding.</summary>
    public Hash ComputeHash() => Hash.Compute(Encode());

    /// <summary>The validators' public keys by key id.</summary>
    public IReadOnlyDictionary<KeyId, PublicKey> ValidatorKeys() =>
        Validators.Select(v => PublicKey.FromSubjectPublicKeyInfo(v)).ToDictionary(k => k.Id);

    /// <summary>Parses a canonical encoding. Throws <see cref="FormatException"/> otherwise.</summary>
    public static GenesisDocument Parse(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var r = CanonicalCbor.CreateReader(encoded);
            var n = r.ReadStartMap();
            string? chain = null, rule = null;
            long? time = null;
            List<byte[]>? validators = null;
            List<GenesisOrganisation>? orgs = null;
            for (var i = 0; i < n; i++)
            {
                switch (r.ReadTextString())
                {
                    case "chain": chain = r.ReadTextString(); break;
                    case "time": time = r.ReadInt64(); break;
                    case "rule": rule = r.ReadTextString(); break;
                    case "validators": validators = ReadByteStrings(r); break;
                    case "organisations":
                        orgs = [];
                        var count = r.ReadStartArray();
                        for (var j = 0; j < count; j++)
                        {
                            r.ReadStartMap();
                            r.ReadTextString();
                            var id = r.ReadTextString();
                            r.ReadTextString();
                            var keys = ReadByteStrings(r);
                            r.ReadTextString();
                            var kind = r.ReadTextString();
                            r.ReadTextString();
                            var governing = r.ReadBoolean();
                            r.ReadEndMap();
                            orgs.Add(new GenesisOrganisation(id, kind, governing, keys));
                        }
                        r.ReadEndArray();
                        break;
                    default: throw new FormatException("Unknown genesis field.");
                }
            }
            r.ReadEndMap();
            CanonicalCbor.EnsureFullyConsumed(r);
            return new GenesisDocument
            {
                Chain = chain ?? throw new FormatException("Genesis has no chain id."),
                Timestamp = time ?? throw new FormatException("Genesis has no time."),
                GovernanceRule = rule ?? "majority",
                Validators = validators ?? throw new FormatException("Genesis has no validators."),
                Organisations = orgs ?? throw new FormatException("Genesis has no organisations."),
            };
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new FormatException($"Not a canonical genesis document: {ex.Message}", ex);
        }
    }

    private static List<byte[]> ReadByteStrings(CborReader r)
    {
        var count = r.ReadStartArray() ?? throw new FormatException("Indefinite array.");
        var list = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(r.ReadByteString());
        }
        r.ReadEndArray();
        return list;
    }
}

/// <summary>A founding organisation: id (e.g. <c>org:st-mary</c>), kind, whether it governs, and its keys (DER SPKI).</summary>
public sealed record GenesisOrganisation(string Id, string Kind, bool Governing, IReadOnlyList<byte[]> Keys);
