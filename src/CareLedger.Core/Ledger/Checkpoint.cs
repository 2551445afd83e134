using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using CareLedger.Core.Crypto;

namespace CareLedger.Core.Ledger;

/// <summary>
/// A head of the ledger's result log as a C2SP checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash
/// and one extension line <c>block {height} {header hash}</c>, signed as a C2SP signed note (c2sp.org/signed-note) with
/// signature type 0x02, ECDSA P-256: the key id is the first four bytes of SHA-256 of the key's DER SubjectPublicKeyInfo and
/// the signature is DER, over the note text, as transparency-dev's witness implements it. Witnesses and watchers that keep
/// the last checkpoint they saw hold the node to an append-only history (docs/witnessing.md).
/// </summary>
public sealed record Checkpoint(string Origin, long Size, Hash Root, long Height, Hash HeaderHash)
{
    /// <summary>The origin line of a chain's checkpoints.</summary>
    public static string OriginOf(string chain) => $"careledger/{chain}";

    /// <summary>The note text: the lines that are signed, ending in a newline.</summary>
    public string Body => string.Create(CultureInfo.InvariantCulture,
        $"{Origin}\n{Size}\n{Convert.ToBase64String(Root.Span)}\nblock {Height} {HeaderHash}\n");

    /// <summary>The checkpoint of a signed header.</summary>
    public static Checkpoint Of(BlockHeader header) => new(OriginOf(header.Chain), header.LogSize, header.LogRoot, header.Height, header.Hash);

    /// <summary>The signer's key name: the origin and the first 16 hex digits of its key id.</summary>
    public static string KeyNameOf(string origin, PublicKey key) => $"{origin}/{key.Id.ToString()[..16]}";

    /// <summary>The signed note: body, blank line, one signature line.</summary>
    public string Sign(SigningKey key)
    {
        var name = KeyNameOf(Origin, key.PublicKey);
        var signature = key.SignDer(System.Text.Encoding.UTF8.GetBytes(Body));
        var line = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(line, NoteKeyId(key.PublicKey));
        signature.CopyTo(line, 4);
        return $"{Body}\n{SignatureLine(name, line)}";
    }

    /// <summary>
    /// Parses a signed note and verifies its signature by one of <paramref name="trusted"/>; lines of unknown keys are
    /// ignored (as the signed-note format requires). Throws <see cref="FormatException"/> when the note is malformed,
    /// a known key's signature fails, or no trusted key signed it.
    /// </summary>
    public static Checkpoint Open(string note, IEnumerable<PublicKey> trusted)
    {
        var (body, signatures) = SplitNote(note);
        var checkpoint = ParseBody(body);
        var verified = false;
        foreach (var (name, bytes) in signatures)
        {
            foreach (var key in trusted)
            {
                if (name == KeyNameOf(checkpoint.Origin, key) && bytes.Length > 4 && BinaryPrimitives.ReadUInt32BigEndian(bytes) == NoteKeyId(key))
                {
                    if (!key.VerifyDer(System.Text.Encoding.UTF8.GetBytes(body), bytes.AsSpan(4)))
                    {
                        throw new FormatException($"The signature of {name} does not verify.");
                    }
                    verified = true;
                }
            }
        }
        return verified ? checkpoint : throw new FormatException("No trusted key signed this checkpoint.");
    }

    /// <summary>
    /// A signed note's text (with its final newline) and its signature lines as (key name, decoded bytes). Throws
    /// <see cref="FormatException"/> when it is not a signed note.
    /// </summary>
    public static (string Body, IReadOnlyList<(string Name, byte[] Signature)> Signatures) SplitNote(string note)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            throw new FormatException("A signed note is text, a blank line and signature lines, each ending in a newline.");
        }
        var signatures = new List<(string, byte[])>();
        foreach (var line in note[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Split(' ') is not ["\u2014", var name, var encoded])
            {
                throw new FormatException("A signature line is an em dash, a key name and base64.");
            }
            signatures.Add((name, Convert.FromBase64String(encoded)));
        }
        return (note[..(split + 1)], signatures);
    }

    /// <summary>A signature line of a signed note.</summary>
    public static string SignatureLine(string name, ReadOnlySpan<byte> signature) => $"\u2014 {name} {Convert.ToBase64String(signature)}\n";

    /// <summary>Parses a checkpoint's note text. Throws <see cref="FormatException"/> when it is not one.</summary>
    public static Checkpoint ParseBody(string body)
    {
        var lines = body.Split('\n');
        if (lines.Length != 5 || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || lines[3].Split(' ') is not ["block", var heightText, var headerHex]
            || !long.TryParse(heightText, NumberStyles.None, CultureInfo.InvariantCulture, out var height) || !Hash.TryParse(headerHex, out var header))
        {
            throw new FormatException("A checkpoint is an origin, a size, a root hash and a 'block HEIGHT HASH' line.");
        }
        return new Checkpoint(lines[0], size, Hash.FromBytes(Convert.FromBase64String(lines[2])), height, header);
    }

    /// <summary>The signed-note key id of an ECDSA key: SHA-256 of its DER SubjectPublicKeyInfo, first four bytes.</summary>
    public static uint NoteKeyId(PublicKey key) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key.SubjectPublicKeyInfo));
}
