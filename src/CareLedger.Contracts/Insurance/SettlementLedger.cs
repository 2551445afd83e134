using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// The double-entry settlement ledger: every movement debits one account and credits another by the same amount,
/// and no account but <c>external</c> goes below zero. Each movement is a numbered journal entry.
/// </summary>
public static class SettlementLedger
{
    public const string External = "external";

    public static long Balance(IStateReader state, string owner, string currency) =>
        StateJson.Read<AccountRecord>(state.Get(InsuranceKeys.Account(owner, currency)))?.Balance ?? 0;

    /// <summary>Moves <paramref name="amount"/> from one account to another, or rejects the call if the payer cannot cover it.</summary>
    public static void Transfer(ContractCall call, string from, string to, long amount, string currency, string memo, string? claim = null, int? line = null)
    {
        if (amount <= 0 || from == to)
        {
            throw ContractCall.Reject(InsuranceErrors.BadAmount, "A movement is a positive amount between two different accounts.");
        }
        var fromBalance = Balance(call.State, from, currency);
        if (from != External && fromBalance < amount)
        {
            throw ContractCall.Reject(InsuranceErrors.InsufficientFunds, $"{from} holds {fromBalance} {currency}; {amount} is needed.");
        }
        call.State.Put(InsuranceKeys.Account(from, currency), StateJson.Write(new AccountRecord(from, currency, checked(fromBalance - amount))));
        call.State.Put(InsuranceKeys.Account(to, currency), StateJson.Write(new AccountRecord(to, currency, checked(Balance(call.State, to, currency) + amount))));
        var sequence = long.Parse(call.State.Get(InsuranceKeys.JournalNext) ?? "1"u8.ToArray(), System.Globalization.CultureInfo.InvariantCulture);
        call.State.Put(InsuranceKeys.JournalEntry(sequence),
            StateJson.Write(new JournalEntry(sequence, call.Transaction.Id.ToString(), call.Block.Timestamp, from, to, amount, currency, claim, line, memo)));
        var reference = System.Text.Encoding.UTF8.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        call.State.Put(InsuranceKeys.AccountMovement(from, currency, sequence), reference);
        call.State.Put(InsuranceKeys.AccountMovement(to, currency, sequence), reference);
        call.State.Put(InsuranceKeys.JournalNext, System.Text.Encoding.UTF8.GetBytes((sequence + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        call.Emit("ins.payment", ("from", from), ("to", to), ("amount", amount.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("currency", currency),
            ("claim", claim ?? ""));
    }
}
