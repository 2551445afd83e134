using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Network;
using CareLedger.Contracts.Notary;
using CareLedger.Contracts.Records;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts;

/// <summary>The contracts every CareLedger node runs, and the executor built from them.</summary>
public static class ContractCatalog
{
    /// <summary>All contracts.</summary>
    public static ContractRegistry Registry() =>
        new([new IdentityContract(), new NotaryContract(), new ConsentContract(), new RecordsContract(), new NetworkGovernance()]);

    /// <summary>An executor over all contracts with the identity contract's signer directory.</summary>
    public static BlockExecutor Executor(IdentitySignerDirectory signers) => new(Registry(), signers);

    /// <summary>
    /// For divergence tests only: an executor whose notary also writes a marker, as a node running
    /// different code would. Its headers differ from every honest node's from the first anchoring on.
    /// </summary>
    public static BlockExecutor DivergentExecutor(IdentitySignerDirectory signers) =>
        new(new ContractRegistry([new IdentityContract(), new DivergentNotary(), new ConsentContract(), new RecordsContract(), new NetworkGovernance()]), signers);

    private sealed class DivergentNotary : IContract
    {
        private readonly NotaryContract _honest = new();

        public string Name => _honest.Name;

        public bool Handles(string action) => _honest.Handles(action);

        public void Execute(ContractCall call)
        {
            _honest.Execute(call);
            call.State.Put("notary-divergence/" + call.Transaction.Id, [1]);
        }
    }
}
