using System.CommandLine;
using CareLedger.Core.Merkle;

namespace CareLedger.Cli.Commands;

/// <summary>
/// RFC 9162 tools for auditors, hex in and out: exit 0 valid, 1 invalid (with the reason), 2 malformed input.
/// </summary>
internal static class MerkleCommands
{
    public static Command Create(CliOutput output)
    {
        var merkle = new Command("merkle", "RFC 9162 Merkle tree tools (hex in, hex out).");
        merkle.Subcommands.Add(Root(output));
        merkle.Subcommands.Add(ProveInclusion(output));
        merkle.Subcommands.Add(ProveConsistency(output));
        merkle.Subcommands.Add(VerifyInclusion(output));
        merkle.Subcommands.Add(VerifyConsistency(output));
        return merkle;
    }

    private static Command Root(CliOutput output)
    {
        var leaves = new Argument<string[]>("LEAF_HEX") { Arity = ArgumentArity.ZeroOrMore, Description = "Raw leaf inputs in hex ('' is the empty leaf)." };
        var cmd = new Command("root", "Print the RFC 9162 root of the raw leaf inputs.") { leaves };
        cmd.SetAction(parse =>
        {
            var inputs = new List<byte[]>();
            foreach (var hex in parse.GetValue(leaves) ?? [])
            {
                if (!HexInput.TryBytes(hex, out var leaf, out var error))
                {
                    return output.Fail(ExitCodes.Malformed, error!);
                }
                inputs.Add(leaf);
            }
            output.Line(MerkleHasher.RootOf(inputs.Select(l => (ReadOnlyMemory<byte>)l)).ToString());
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command ProveInclusion(CliOutput output)
    {
        var index = new Option<long>("--index") { Required = true, Description = "Leaf index (0-based)." };
        var leaves = new Option<string>("--leaves") { Required = true, Description = "File with one leaf input in hex per line." };
        var cmd = new Command("prove-inclusion", "Print the inclusion proof of a leaf, one hash per line.") { index, leaves };
        cmd.SetAction(parse =>
        {
            if (!HexInput.TryLeafFile(parse.GetValue(leaves)!, out var inputs, out var error))
            {
                return output.Fail(ExitCodes.Malformed, error!);
            }
            var i = parse.GetValue(index);
            if (i < 0 || i >= inputs.Count)
            {
                return output.Fail(ExitCodes.Malformed, $"--index {i} is outside a tree of {inputs.Count} leaves.");
            }
            var log = MemoryMerkleNodeStore.BuildLog(inputs);
            foreach (var hash in log.InclusionProof(i, log.Size))
            {
                output.Line(hash.ToString());
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command ProveConsistency(CliOutput output)
    {
        var size1 = new Option<long>("--size1") { Required = true, Description = "Size of the earlier tree." };
        var leaves = new Option<string>("--leaves") { Required = true, Description = "File with the later tree's leaf inputs in hex, one per line." };
        var cmd = new Command("prove-consistency", "Print the consistency proof from the first size1 leaves to all of them.") { size1, leaves };
        cmd.SetAction(parse =>
        {
            if (!HexInput.TryLeafFile(parse.GetValue(leaves)!, out var inputs, out var error))
            {
                return output.Fail(ExitCodes.Malformed, error!);
            }
            var m = parse.GetValue(size1);
            if (m <= 0 || m > inputs.Count)
            {
                return output.Fail(ExitCodes.Malformed, $"--size1 must be between 1 and {inputs.Count}.");
            }
            var log = MemoryMerkleNodeStore.BuildLog(inputs);
            foreach (var hash in log.ConsistencyProof(m, log.Size))
            {
                output.Line(hash.ToString());
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command VerifyInclusion(CliOutput output)
    {
        var leafHash = new Option<string>("--leaf-hash") { Required = true, Description = "The leaf hash (HASH(0x00 || leaf))." };
        var index = new Option<long>("--index") { Required = true };
        var size = new Option<long>("--size") { Required = true };
        var root = new Option<string>("--root") { Required = true };
        var proof = new Option<string>("--proof") { Description = "Comma-separated proof hashes." };
        var cmd = new Command("verify-inclusion", "Check an RFC 9162 inclusion proof (§2.1.3.2).") { leafHash, index, size, root, proof };
        cmd.SetAction(parse =>
        {
            if (!HexInput.TryHash(parse.GetValue(leafHash)!, "--leaf-hash", out var leaf, out var error)
                || !HexInput.TryHash(parse.GetValue(root)!, "--root", out var r, out error)
                || !HexInput.TryHashList(parse.GetValue(proof), "each --proof hash", out var path, out error))
            {
                return output.Fail(ExitCodes.Malformed, error!);
            }
            var (i, n) = (parse.GetValue(index), parse.GetValue(size));
            if (i < 0 || n <= 0 || i >= n)
            {
                return output.Fail(ExitCodes.Invalid, $"invalid: index {i} is not inside a tree of size {n}.");
            }
            if (!MerkleProofs.VerifyInclusion(leaf, i, n, path, r))
            {
                return output.Fail(ExitCodes.Invalid, "invalid: the proof does not lead from the leaf to the root.");
            }
            output.Line("valid");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command VerifyConsistency(CliOutput output)
    {
        var size1 = new Option<long>("--size1") { Required = true };
        var size2 = new Option<long>("--size2") { Required = true };
        var root1 = new Option<string>("--root1") { Required = true };
        var root2 = new Option<string>("--root2") { Required = true };
        var proof = new Option<string>("--proof") { Description = "Comma-separated proof hashes." };
        var cmd = new Command("verify-consistency", "Check an RFC 9162 consistency proof (§2.1.4.2).") { size1, size2, root1, root2, proof };
        cmd.SetAction(parse =>
        {
            if (!HexInput.TryHash(parse.GetValue(root1)!, "--root1", out var r1, out var error)
                || !HexInput.TryHash(parse.GetValue(root2)!, "--root2", out var r2, out error)
                || !HexInput.TryHashList(parse.GetValue(proof), "each --proof hash", out var path, out error))
            {
                return output.Fail(ExitCodes.Malformed, error!);
            }
            var (m, n) = (parse.GetValue(size1), parse.GetValue(size2));
            if (m <= 0 || m > n)
            {
                return output.Fail(ExitCodes.Invalid, $"invalid: need 0 < size1 ≤ size2; got {m} and {n}.");
            }
            if (!MerkleProofs.VerifyConsistency(m, n, r1, r2, path))
            {
                return output.Fail(ExitCodes.Invalid, "invalid: the proof does not show that the second tree extends the first.");
            }
            output.Line("valid");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
