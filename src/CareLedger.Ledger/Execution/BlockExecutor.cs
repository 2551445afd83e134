using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;

namespace CareLedger.Ledger.Execution;

/// <summary>
/// Executes an ordered batch deterministically: every node that runs the same batch on the same state
/// gets the same results and writes. Checks that depend on the block (expiry against the block time,
/// replay, signer still active, known type) run here, not only at admission.
/// </summary>
public sealed class BlockExecutor(ContractRegistry contracts, ISignerDirectory signers)
{
    /// <summary>
    /// No transaction may be included more than this before its notAfter. It bounds the replay window:
    /// a node restarting needs only the nonces of blocks younger than this, and every node decides alike.
    /// </summary>
    public static readonly TimeSpan MaxValidityWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// Executes <paramref name="transactions"/> in order over <paramref name="committed"/>. With
    /// <paramref name="verifySignatures"/>, every signature is checked again against the key in force when
    /// the transaction runs (a node applying batches another node ordered trusts no one's admission but its
    /// own: those in <paramref name="verified"/> are not checked twice).
    /// </summary>
    public ExecutedBlock Execute(BlockContext block, IReadOnlyList<Transaction> transactions, IStateReader committed, NonceWindow nonces,
        bool verifySignatures = false, VerifiedSignatures? verified = null)
    {
        var blockState = new StateOverlay(committed);
        var results = new List<TransactionResult>(transactions.Count);
        var keys = new PublicKey?[transactions.Count];
        var signatures = verifySignatures ? SignatureChecks.Precompute(transactions, signers, committed, verified) : null;
        nonces.Prune(block.Timestamp);
        for (var i = 0; i < transactions.Count; i++)
        {
            var tx = transactions[i];
            var txState = new StateOverlay(blockState);
            var call = new ContractCall(tx, block, txState);
            var rejection = Run(call, blockState, nonces, signatures, i, out keys[i]);
            nonces.Add(tx.Signer, tx.Nonce, tx.NotAfter);
            if (rejection is null)
            {
                txState.ApplyTo(blockState);
            }
            results.Add(new TransactionResult
            {
                TransactionId = tx.Id,
                Height = block.Height,
                Index = i,
                Status = rejection is null ? TransactionStatus.Committed : TransactionStatus.Rejected,
                Code = rejection?.Code,
                Message = rejection?.Message,
                Events = rejection is null ? call.Events : [],
                WriteSetDigest = rejection is null ? txState.Digest() : StateOverlay.EmptyDigest,
            });
        }
        return new ExecutedBlock(results, blockState, keys);
    }

    private LedgerRejection? Run(ContractCall call, StateOverlay blockState, NonceWindow nonces, SignatureChecks? signatures, int index,
        out PublicKey? key)
    {
        var tx = call.Transaction;
        var signer = signers.Resolve(tx, blockState);
        key = signer.Key;
        if (tx.Chain != call.Block.Chain)
        {
            return new(LedgerErrorCodes.WrongChain, $"Signed for chain '{tx.Chain}', not '{call.Block.Chain}'.");
        }
        if (tx.NotAfter < call.Block.Timestamp)
        {
            return new(LedgerErrorCodes.Expired, "The transaction expired before it could be included.");
        }
        if (tx.NotAfter > call.Block.Timestamp + (long)MaxValidityWindow.TotalMilliseconds)
        {
            return new(LedgerErrorCodes.ValidityTooLong, $"notAfter may be at most {MaxValidityWindow.TotalMinutes:0} minutes after the block time.");
        }
        if (nonces.Contains(tx.Signer, tx.Nonce, call.Block.Timestamp))
        {
            return new(LedgerErrorCodes.Replay, $"Nonce {tx.Nonce} was already used by this signer.");
        }
        if (signer.Rejection is { } refused)
        {
            return refused;
        }
        if (signatures?.Check(index, key) is { } forged)
        {
            return forged;
        }
        var contract = contracts.Find(tx.Type);
        if (contract is null)
        {
            return new(LedgerErrorCodes.UnknownType, $"No contract handles '{tx.Type}'.");
        }
        try
        {
            contract.Execute(call);
            return null;
        }
        catch (ContractRejectedException ex)
        {
            return new(ex.Code, ex.Message);
        }
        catch (FormatException ex)
        {
            return new(LedgerErrorCodes.BadArguments, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A contract fault refuses the transaction on every node alike instead of stopping the chain.
            return new(LedgerErrorCodes.ContractFailed, $"The {contract.Name} contract failed: {ex.GetType().Name}.");
        }
    }
}
