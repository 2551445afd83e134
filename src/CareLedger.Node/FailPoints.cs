using CareLedger.Contracts;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Node;

/// <summary>
/// Fault injection for the crash and divergence tests (<c>--fail-point NAME</c>); never set in production.
/// </summary>
internal static class FailPoints
{
    /// <summary>An action that kills the process at the named point, when that point is configured.</summary>
    public static Action? Crash(string? configured, string name) =>
        configured == name ? () => Environment.FailFast($"fail point {name}") : null;

    /// <summary>
    /// <c>execute-differently</c>: the executor of a node running different code — its notary also writes a
    /// marker, so its headers differ from every honest node's from the first anchoring on.
    /// </summary>
    public static BlockExecutor Executor(string? configured, IdentitySignerDirectory signers) =>
        configured == "execute-differently"
            ? new(new ContractRegistry(ContractCatalog.Contracts().Select(c => c.Name == "notary" ? new DivergentNotary(c) : c)), signers)
            : ContractCatalog.Executor(signers);

    private sealed class DivergentNotary(IContract honest) : IContract
    {
        public string Name => honest.Name;

        public bool Handles(string action) => honest.Handles(action);

        public void Execute(ContractCall call)
        {
            honest.Execute(call);
            call.State.Put("notary-divergence/" + call.Transaction.Id, [1]);
        }
    }
}
