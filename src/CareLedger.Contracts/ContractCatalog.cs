using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Contracts.Network;
using CareLedger.Contracts.Notary;
using CareLedger.Contracts.Prescriptions;
using CareLedger.Contracts.Records;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts;

/// <summary>The contracts every CareLedger node runs, and the executor built from them.</summary>
public static class ContractCatalog
{
    /// <summary>One instance of every contract.</summary>
    public static IReadOnlyList<IContract> Contracts() =>
        [new IdentityContract(), new NotaryContract(), new ConsentContract(), new RecordsContract(), new NetworkGovernance(), new SupplyChainContract(),
            new PrescriptionContract(), new Credentials.CredentialsContract(), new Insurance.InsuranceContract(), new Trials.TrialsContract(), new Genomics.GenomicsContract(), new Statistics.StatisticsContract()];

    /// <summary>All contracts.</summary>
    public static ContractRegistry Registry() => new(Contracts());

    /// <summary>An executor over all contracts with the identity contract's signer directory.</summary>
    public static BlockExecutor Executor(IdentitySignerDirectory signers) => new(Registry(), signers);
}
