namespace CareLedger.Contracts.Records;

/// <summary>State keys of the records contract.</summary>
public static class RecordKeys
{
    public static string Record(string id) => $"records/record/{id}";

    public static string PatientRecords(string patient) => $"records/of/{patient}";

    /// <summary>An access to one of the patient's records; <see cref="AccessPrefix"/> lists them all.</summary>
    public static string Access(string patient, string accessId) => $"{AccessPrefix(patient)}{accessId}";

    public static string AccessPrefix(string patient) => $"records/access/{patient}/";
}
