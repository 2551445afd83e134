using CareLedger.Contracts.Identity;
using CareLedger.Ledger.Execution;

namespace CareLedger.Contracts.Records;

/// <summary>
/// The organisations that hold a patient in their care, as the ledger shows it: the provider that attested the patient's identity
/// and every custodian of one of the patient's records. Only they may record a guardianship for that patient.
/// </summary>
public static class PatientCustodians
{
    public static IReadOnlySet<string> Of(IStateReader state, string patient)
    {
        var custodians = new SortedSet<string>(StringComparer.Ordinal);
        if (StateJson.Read<PatientRecord>(state.Get(IdentityKeys.Patient(patient)))?.AttestedBy is { } attestedBy)
        {
            custodians.Add(attestedBy);
        }
        foreach (var id in StateJson.ReadIds(state, RecordKeys.PatientRecords(patient)))
        {
            if (StateJson.Read<RecordEntry>(state.Get(RecordKeys.Record(id))) is { } record)
            {
                custodians.Add(record.Custodian);
            }
        }
        return custodians;
    }
}
