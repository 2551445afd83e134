using BenchmarkDotNet.Attributes;
using CareLedger.Core.Crypto;
using CareLedger.Core.Encoding;
using CareLedger.Core.Ledger;

namespace CareLedger.Benchmarks;

/// <summary>The per-transaction costs: hashing, ES256 sign/verify, canonical CBOR encode and decode.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly SigningKey _key = SigningKey.Generate();
    private Transaction _tx = null!;
    private byte[] _signedBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tx = TransactionCodec.Sign(_key, "careledger-local", "notary.anchor",
            TransactionArgs.FromJson($$"""{"hash":"{{new string('a', 64)}}","documentType":"discharge-summary"}"""), 42, 1_800_000_000_000);
        _signedBytes = TransactionCodec.SignedBytes(_tx);
    }

    [Benchmark(Baseline = true)]
    public Hash Sha256_of_a_transaction() => Hash.Compute(_tx.Encoded.Span);

    [Benchmark]
    public bool Es256_verify() => _key.PublicKey.Verify(_signedBytes, _tx.Signature.Span);

    [Benchmark]
    public Signature Es256_sign() => _key.Sign(_signedBytes);

    [Benchmark]
    public Transaction Cbor_decode_transaction() => TransactionCodec.Parse(_tx.Encoded);

    [Benchmark]
    public byte[] Cbor_encode_signed_bytes() => TransactionCodec.SignedBytes(_tx);
}
