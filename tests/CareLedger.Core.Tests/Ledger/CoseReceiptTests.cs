using System.Security.Cryptography.Cose;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Core.Merkle;

namespace CareLedger.Core.Tests.Ledger;

public class CoseReceiptTests
{
    private static readonly SigningKey Node = SigningKey.Generate();
    private static readonly Dictionary<KeyId, PublicKey> Trusted = new() { [Node.Id] = Node.PublicKey };
    private static readonly List<byte[]> Leaves = Enumerable.Range(0, 13).Select(i => new[] { (byte)i, (byte)(i * 3) }).ToList();
    private static readonly MerkleLog Log = MemoryMerkleNodeStore.BuildLog(Leaves);

    private static byte[] ReceiptFor(int index) => CoseReceipt.Create(Node, Log.Size, index, Log.InclusionProof(index, Log.Size), Log.Root());

    [Fact]
    public void A_receipt_proves_its_leaf_at_its_position_under_a_trusted_key()
    {
        for (var i = 0; i < Leaves.Count; i++)
        {
            var proven = CoseReceipt.Verify(ReceiptFor(i), MerkleHasher.HashLeaf(Leaves[i]), Trusted, out var reason);
            Assert.Equal((13L, (long)i), proven);
            Assert.Null(reason);
        }
    }

    [Fact]
    public void The_structure_is_COSE_Sign1_with_RFC9162_SHA256_and_a_detached_root()
    {
        var message = CoseMessage.DecodeSign1(ReceiptFor(4));
        Assert.Equal(1, message.ProtectedHeaders[new CoseHeaderLabel(395)].GetValueAsInt32());
        Assert.Null(message.Content);
        Assert.True(message.UnprotectedHeaders.ContainsKey(new CoseHeaderLabel(396)));
    }

    [Fact]
    public void Another_leaf_an_untrusted_key_or_damaged_bytes_fail()
    {
        var receipt = ReceiptFor(4);
        Assert.Null(CoseReceipt.Verify(receipt, MerkleHasher.HashLeaf(Leaves[5]), Trusted, out var wrongLeaf));
        Assert.NotNull(wrongLeaf);
        Assert.Null(CoseReceipt.Verify(receipt, MerkleHasher.HashLeaf(Leaves[4]), new Dictionary<KeyId, PublicKey>(), out _));
        for (var i = 0; i < receipt.Length; i += 5)
        {
            var damaged = receipt.ToArray();
            damaged[i] ^= 0x21;
            Assert.Null(CoseReceipt.Verify(damaged, MerkleHasher.HashLeaf(Leaves[4]), Trusted, out _));
        }
    }
}
