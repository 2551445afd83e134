using System.Numerics;
using System.Security.Cryptography;

namespace CareLedger.Core.Crypto;

/// <summary>
/// An ECDSA P-256 public key (DER SubjectPublicKeyInfo). Verification is safe to call from many
/// threads at once: each thread imports its own handle, because the BCL does not promise that one
/// <see cref="ECDsa"/> may verify concurrently.
/// </summary>
public sealed class PublicKey : IDisposable
{
    // P-256 group order n, and n/2: a signature whose s is above n/2 is the malleated twin of a valid one.
    private static readonly BigInteger Order = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    internal static readonly BigInteger HalfOrder = Order >> 1;

    private readonly byte[] _spki;
    private readonly ThreadLocal<ECDsa> _verifiers;

    private PublicKey(byte[] spki)
    {
        _spki = spki;
        Id = KeyId.Of(spki);
        _verifiers = new ThreadLocal<ECDsa>(Import, trackAllValues: true);
    }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo.</summary>
    public KeyId Id { get; }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlySpan<byte> SubjectPublicKeyInfo => _spki;

    /// <summary>
    /// Parses a DER SubjectPublicKeyInfo holding a P-256 key.
    /// Throws <see cref="FormatException"/> for anything else.
    /// </summary>
    public static PublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new FormatException("Trailing bytes after the SubjectPublicKeyInfo.");
            }
            var curve = ecdsa.ExportParameters(false).Curve;
            if (curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new FormatException("Only P-256 keys are accepted.");
            }
            // Re-export so that the stored bytes are the canonical DER of the key.
            return new PublicKey(ecdsa.ExportSubjectPublicKeyInfo());
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("Not a valid P-256 SubjectPublicKeyInfo.", ex);
        }
    }

    /// <summary>
    /// Checks an ES256 signature over SHA-256(<paramref name="data"/>). High-S signatures are refused.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Signature.Size || !IsLowS(signature))
        {
            return false;
        }
        return _verifiers.Value!.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>
    /// Checks an ES256 JWS signature (RFC 7518 §3.4) over SHA-256(<paramref name="data"/>). Unlike <see cref="Verify"/> a high-S
    /// signature is valid here: JOSE does not require low S and standard JWT libraries produce high S about half the time. Only
    /// transactions need low S, because their id is the hash of their signed bytes.
    /// </summary>
    public bool VerifyJws(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == Signature.Size
        && _verifiers.Value!.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>
    /// Checks a DER (RFC 3279) ECDSA signature over SHA-256(<paramref name="data"/>), the form X.509 and signed notes use;
    /// false for a malformed one.
    /// </summary>
    public bool VerifyDer(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _verifiers.Value!.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Parses a PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>). Throws <see cref="FormatException"/> otherwise.</summary>
    public static PublicKey FromPem(string pem)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new FormatException("Not a PEM P-256 public key.", ex);
        }
    }

    internal static bool IsLowS(ReadOnlySpan<byte> signature)
    {
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: true);
        return !s.IsZero && s <= HalfOrder;
    }

    internal static void NormalizeS(Span<byte> signature)
    {
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder)
        {
            var low = Order - s;
            signature[32..].Clear();
            var length = low.GetByteCount(isUnsigned: true);
            low.TryWriteBytes(signature[(64 - length)..], out _, isUnsigned: true, isBigEndian: true);
        }
    }

    private ECDsa Import()
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_spki, out _);
        return ecdsa;
    }

    public void Dispose()
    {
        foreach (var verifier in _verifiers.Values)
        {
            verifier.Dispose();
        }
        _verifiers.Dispose();
    }
}
