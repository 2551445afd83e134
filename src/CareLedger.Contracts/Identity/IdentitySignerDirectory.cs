using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CareLedger.Core.Crypto;
using CareLedger.Core.Ledger;
using CareLedger.Ledger;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Identity;

/// <summary>
/// Resolves signers from the identity contract's key records. A key may sign while it is active and
/// its owner (organisation or member) is active. The one transaction an unknown key may sign is its
/// own patient registration, which carries the key in its arguments (proof of possession).
/// </summary>
public sealed class IdentitySignerDirectory : ISignerDirectory
{
    // KeyId is the hash of the key, so a parsed key never goes stale; only its status is read each time.
    private readonly ConcurrentDictionary<KeyId, PublicKey> _parsed = new();

    // Every transaction is resolved twice (admission, execution) against records that rarely change:
    // parse each stored value once. The state cache hands out the same array until a block rewrites the
    // record, and a rewritten record is a new array, so a parse keyed by the array cannot go stale.
    private readonly ConditionalWeakTable<byte[], object> _records = new();

    private T? Read<T>(byte[]? stored) where T : class =>
        stored is null ? null : (T?)_records.GetValue(stored, static bytes => StateJson.Read<T>(bytes)!);

    public SignerLookup Resolve(Transaction transaction, IStateReader state)
    {
        var record = Read<KeyRecord>(state.Get(IdentityKeys.Key(transaction.Signer)));
        if (record is null)
        {
            if (transaction.Type == IdentityContract.RegisterPatient && TryKeyFromArgs(transaction, out var own))
            {
                return SignerLookup.Found(own);
            }
            return SignerLookup.Refused(LedgerErrorCodes.UnknownSigner, $"Key {transaction.Signer} is not registered on the ledger.");
        }
        var key = _parsed.GetOrAdd(transaction.Signer, _ => PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(record.PublicKey)));
        if (record.Status != "active")
        {
            return SignerLookup.Refused(LedgerErrorCodes.InactiveSigner, $"Key {transaction.Signer} was revoked.", key);
        }
        var ownerActive = record.OwnerKind switch
        {
            "organisation" => Read<OrganisationRecord>(state.Get(IdentityKeys.Organisation(record.Owner)))?.Status == "active",
            "member" => Read<MemberRecord>(state.Get(IdentityKeys.Member(record.Owner)))?.Status == "active",
            _ => true,
        };
        return ownerActive
            ? SignerLookup.Found(key)
            : SignerLookup.Refused(LedgerErrorCodes.InactiveSigner, $"The owner of key {transaction.Signer} is suspended.", key);
    }

    private bool TryKeyFromArgs(Transaction transaction, out PublicKey key)
    {
        key = null!;
        try
        {
            var parsed = PublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(transaction.Args.GetString("publicKey")));
            if (parsed.Id != transaction.Signer)
            {
                return false;
            }
            key = _parsed.GetOrAdd(parsed.Id, parsed);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
