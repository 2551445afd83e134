namespace CareLedger.Contracts.Insurance;

/// <summary>
/// A settlement account in one currency. <c>external</c> stands for money outside the network (funding comes from
/// it, withdrawals go to it) and is the only account whose balance goes below zero, so all balances sum to zero.
/// </summary>
public sealed record AccountRecord(string Owner, string Currency, long Balance);
