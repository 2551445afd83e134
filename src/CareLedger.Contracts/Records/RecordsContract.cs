using System.Text.RegularExpressions;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Records;

/// <summary>
/// The index of a patient's lifelong record: organisations register and amend records (each needs the
/// patient's consent to append, decided by <see cref="AccessDecisionPoint"/> at block time) and the
/// patient erases them. Only ids, categories, resource types and salted hashes reach the ledger.
/// </summary>
public sealed partial class RecordsContract : IContract
{
    [GeneratedRegex("^[A-Z][A-Za-z]{1,63}$")]
    private static partial Regex ResourceTypePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex CategoryPattern();

    public string Name => "records";

    public bool Handles(string action) => action is "register" or "amend" or "erase" or "access";

    public void Execute(ContractCall call)
    {
        var caller = Caller.Resolve(call.State, call.Transaction.Signer)
            ?? throw ContractCall.Reject(RecordErrors.NotAuthorised, "The signer is not an active identity.");
        switch (call.Action)
        {
            case "register": Register(call, caller); break;
            case "amend": Amend(call, caller); break;
            case "erase": Erase(call, caller); break;
            case "access": Access(call, caller); break;
        }
    }

    /// <summary>
    /// <c>records.register {patient, category, resourceType, saltedHash}</c> by a member or key of the
    /// custodian organisation holding an append grant (purpose TREAT). Record id: <c>record:</c> + the first
    /// 32 hex digits of the transaction id.
    /// </summary>
    private static void Register(ContractCall call, Caller caller)
    {
        var patient = call.Args.GetString("patient");
        if (call.State.Get(IdentityKeys.Patient(patient)) is null)
        {
            throw ContractCall.Reject(RecordErrors.BadRecord, $"No patient {patient}.");
        }
        var category = call.Args.GetString("category");
        var resourceType = call.Args.GetString("resourceType");
        var saltedHash = call.Args.GetString("saltedHash");
        if (!CategoryPattern().IsMatch(category) || !ResourceTypePattern().IsMatch(resourceType) || !Identifiers.IsHexHash(saltedHash))
        {
            throw ContractCall.Reject(RecordErrors.BadRecord, "category is a lowercase code, resourceType a FHIR resource type name, saltedHash 64 hex digits.");
        }
        if (caller.Kind == "patient")
        {
            throw ContractCall.Reject(RecordErrors.NotAuthorised, "Records are registered by the organisation that holds them.");
        }
        caller = ActingAuthor(call, caller);
        var record = NewRecord(call, patient, caller.Organisation, caller.Id, category, resourceType, saltedHash);
        RequireAppendConsent(call, caller, record);
        Add(call, record);
    }

    /// <summary>
    /// Registers a record that another contract's rule authorises (a prescription's MedicationRequest by its prescriber, a fill's
    /// MedicationDispense by its pharmacy): the caller has checked who may; the salted hash must be well formed.
    /// </summary>
    public static string RegisterFor(ContractCall call, string patient, string custodian, string author, string category, string resourceType, string saltedHash)
    {
        if (!Identifiers.IsHexHash(saltedHash))
        {
            throw ContractCall.Reject(RecordErrors.BadRecord, "saltedHash is 64 hex digits.");
        }
        var record = NewRecord(call, patient, custodian, author, category, resourceType, saltedHash);
        Add(call, record);
        return record.Id;
    }

    // Record id: "record:" and the first 32 hex digits of the registering transaction's id.
    private static RecordEntry NewRecord(ContractCall call, string patient, string custodian, string author, string category, string resourceType, string saltedHash) =>
        new("record:" + call.Transaction.Id.ToString()[..32], patient, custodian, category, resourceType,
            [new RecordVersion(1, saltedHash, author, call.Block.Timestamp)], "active");

    private static void Add(ContractCall call, RecordEntry record)
    {
        call.State.Put(RecordKeys.Record(record.Id), StateJson.Write(record));
        StateJson.AppendId(call.State, RecordKeys.PatientRecords(record.Patient), record.Id);
        call.Emit("records.registered", ("record", record.Id), ("patient", record.Patient), ("custodian", record.Custodian), ("resourceType", record.ResourceType));
    }

    /// <summary><c>records.amend {record, saltedHash}</c>: a new version by the custodian; earlier versions stay.</summary>
    private static void Amend(ContractCall call, Caller caller)
    {
        var record = RequireRecord(call, call.Args.GetString("record"));
        var saltedHash = call.Args.GetString("saltedHash");
        if (!Identifiers.IsHexHash(saltedHash))
        {
            throw ContractCall.Reject(RecordErrors.BadRecord, "saltedHash is 64 hex digits.");
        }
        if (caller.Organisation != record.Custodian)
        {
            throw ContractCall.Reject(RecordErrors.NotAuthorised, $"Only the custodian {record.Custodian} amends this record.");
        }
        caller = ActingAuthor(call, caller);
        RequireAppendConsent(call, caller, record);
        var version = record.Versions.Count + 1;
        var amended = record with { Versions = [.. record.Versions, new RecordVersion(version, saltedHash, caller.Id, call.Block.Timestamp)] };
        call.State.Put(RecordKeys.Record(record.Id), StateJson.Write(amended));
        call.Emit("records.amended", ("record", record.Id), ("patient", record.Patient), ("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <c>records.erase {record}</c> at the patient's request (or a delegate's with the revoke mandate). The
    /// custodian's node shreds its vault copy on the event; the salted hashes stay as evidence.
    /// </summary>
    private static void Erase(ContractCall call, Caller caller)
    {
        var record = RequireRecord(call, call.Args.GetString("record"));
        if (!AccessDecisionPoint.ActsForPatient(call.State, caller, record.Patient, "revoke", call.Block.Timestamp))
        {
            throw ContractCall.Reject(RecordErrors.NotAuthorised, "Only the patient (or a delegate with the revoke mandate) erases a record.");
        }
        call.State.Put(RecordKeys.Record(record.Id), StateJson.Write(record with { Status = "erased" }));
        call.Emit("records.erased", ("record", record.Id), ("patient", record.Patient), ("custodian", record.Custodian), ("by", caller.Id));
    }

    /// <summary>
    /// <c>records.access {record, version, accessor, purpose, permit}</c>: the custodian's gatekeeper records a read (released or
    /// refused) before any data leaves the vault. The contract decides again from ledger state at this block
    /// (<see cref="AccessDecisionPoint"/>): a claimed permit that the decision does not give is rejected, and the entry carries the
    /// decision's own reason, grant and emergency, so no custodian can write that a read was consented when it was not.
    /// One state key per access, so a patient's access history is a prefix scan.
    /// </summary>
    private static void Access(ContractCall call, Caller caller)
    {
        var id = call.Args.GetString("record");
        var record = StateJson.Read<RecordEntry>(call.State.Get(RecordKeys.Record(id)))
            ?? throw ContractCall.Reject(RecordErrors.UnknownRecord, $"No record {id}.");
        if (caller.Kind != "organisation" || caller.Id != record.Custodian)
        {
            throw ContractCall.Reject(RecordErrors.NotAuthorised, $"Only the custodian {record.Custodian} records accesses to this record.");
        }
        var version = call.Args.GetInt64("version");
        if (version < 1 || version > record.Versions.Count)
        {
            throw ContractCall.Reject(RecordErrors.BadRecord, $"Record {id} has versions 1 to {record.Versions.Count}.");
        }
        var accessorId = call.Args.GetString("accessor");
        var purpose = call.Args.GetString("purpose");
        var accessor = Caller.ById(call.State, accessorId);
        var decision = accessor is null
            ? AccessDecision.Deny(ConsentErrors.UnknownCaller)
            : AccessDecisionPoint.Decide(call.State, new AccessRequest(accessor, record.Patient, record.AsRef(), "read", purpose, call.Block.Timestamp));
        var permit = call.Args.GetBoolean("permit");
        if (permit && !decision.Permit)
        {
            throw ContractCall.Reject(RecordErrors.DecisionMismatch,
                $"The ledger does not permit {accessorId} to read {id} for {purpose} at this block ({decision.Reason}).");
        }
        // A custodian may always withhold; a permit it did not use is recorded as withheld, not as the decision's reason.
        var reason = permit || !decision.Permit ? decision.Reason : "custodian.withheld";
        var entry = new AccessEntry(call.Transaction.Id.ToString(), record.Id, record.Patient, (int)version, accessorId, purpose, permit, reason,
            permit ? decision.GrantId : null, permit ? decision.EmergencyId : null, call.Block.Timestamp);
        call.State.Put(RecordKeys.Access(record.Patient, entry.Id), StateJson.Write(entry));
        call.Emit("records.accessed", ("record", record.Id), ("patient", record.Patient), ("accessor", entry.Accessor),
            ("purpose", entry.Purpose), ("decision", entry.Permit ? "permit" : "deny"), ("reason", entry.Reason));
    }

    // An organisation key may act for one of its active members, named as "author"; consent is then the member's.
    private static Caller ActingAuthor(ContractCall call, Caller caller) =>
        caller.ActingFor(call.State, call.Args.GetOptionalString("author"))
        ?? throw ContractCall.Reject(RecordErrors.NotAuthorised, $"{call.Args.GetString("author")} is not an active member of {caller.Organisation}.");

    private static RecordEntry RequireRecord(ContractCall call, string id)
    {
        var record = StateJson.Read<RecordEntry>(call.State.Get(RecordKeys.Record(id)))
            ?? throw ContractCall.Reject(RecordErrors.UnknownRecord, $"No record {id}.");
        return record.Status == "erased" ? throw ContractCall.Reject(RecordErrors.Erased, $"Record {id} was erased.") : record;
    }

    private static void RequireAppendConsent(ContractCall call, Caller caller, RecordEntry record)
    {
        var decision = AccessDecisionPoint.Decide(call.State,
            new AccessRequest(caller, record.Patient, record.AsRef(), "append", PurposeOfUse.Treatment, call.Block.Timestamp));
        if (!decision.Permit)
        {
            throw ContractCall.Reject(decision.Reason, $"The patient has not consented to {caller.Id} adding this record ({decision.Reason}).");
        }
    }
}
