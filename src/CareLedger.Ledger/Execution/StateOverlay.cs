using System.Buffers;
using System.Security.Cryptography;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// Writes layered over a base state: a transaction's writes over its block's, a block's over committed
/// state. Records which keys were read, and digests its writes canonically (sorted by key).
/// </summary>
public sealed class StateOverlay(IStateReader below) : IContractState
{
    private readonly SortedDictionary<string, byte[]?> _writes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reads = new(StringComparer.Ordinal);

    /// <summary>Keys read through this overlay.</summary>
    public IReadOnlyCollection<string> Reads => _reads;

    /// <summary>Writes in key order; a null value is a deletion.</summary>
    public IReadOnlyDictionary<string, byte[]?> Writes => _writes;

    public byte[]? Get(string key)
    {
        _reads.Add(key);
        return _writes.TryGetValue(key, out var value) ? value : below.Get(key);
    }

    public void Put(string key, byte[] value) => _writes[key] = value.ToArray();

    public void Delete(string key) => _writes[key] = null;

    /// <summary>Copies these writes into <paramref name="target"/>.</summary>
    public void ApplyTo(StateOverlay target)
    {
        foreach (var (key, value) in _writes)
        {
            target._writes[key] = value;
        }
    }

    /// <summary>SHA-256 of the canonical CBOR array [[key, value-or-null], …] in key order.</summary>
    public Hash Digest() => DigestOf(_writes);

    /// <summary>The digest of no writes: every rejected transaction's.</summary>
    public static Hash EmptyDigest { get; } = DigestOf([]);

    /// <summary>
    /// The write-set digest of any key-ordered write list, hashed entry by entry: a block's writes are
    /// never assembled into one encoding. Only arrays, text, byte strings and null are written, whose
    /// encodings have one form (shortest heads, definite lengths), so no canonical-mode writer is needed.
    /// </summary>
    public static Hash DigestOf(IReadOnlyCollection<KeyValuePair<string, byte[]?>> orderedWrites)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> head = stackalloc byte[9];
        sha.AppendData(head[..CanonicalCbor.WriteArrayHead(head, orderedWrites.Count)]);
        var writer = CanonicalCbor.CreatePresortedWriter();
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            foreach (var (key, value) in orderedWrites)
            {
                writer.Reset();
                writer.WriteStartArray(2);
                writer.WriteTextString(key);
                if (value is null)
                {
                    writer.WriteNull();
                }
                else
                {
                    writer.WriteByteString(value);
                }
                writer.WriteEndArray();
                if (writer.BytesWritten > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(writer.BytesWritten);
                }
                sha.AppendData(buffer, 0, writer.Encode(buffer));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Hash.FromBytes(sha.GetHashAndReset());
    }

    /// <summary>The state digest after a block: SHA-256(previous digest || digest of the block's writes).</summary>
    public static Hash ChainStateDigest(Hash previous, Hash blockWrites)
    {
        Span<byte> buffer = stackalloc byte[2 * Hash.Size];
        previous.CopyTo(buffer);
        blockWrites.CopyTo(buffer[Hash.Size..]);
        return Hash.Compute(buffer);
    }
}
