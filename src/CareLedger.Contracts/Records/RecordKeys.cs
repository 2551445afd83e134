namespace CareLedger.Contracts.Records;

/// <summary>State keys of the records contract.</summary>
public static class RecordKeys
{
    public static string Record(string id) => $"records/record/{id}";

    public static string PatientRecords(string patient) => $"records/of/{patient}";
}
