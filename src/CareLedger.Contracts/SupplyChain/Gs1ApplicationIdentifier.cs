namespace CareLedger.Contracts.SupplyChain;

/// <summary>
/// One row of the application identifier table (<c>gs1-application-identifiers.tsv</c>, embedded): how its value is written and
/// checked, which AIs must accompany it, and where it may stand in a GS1 Digital Link.
/// </summary>
public sealed record Gs1ApplicationIdentifier(string Ai, bool Numeric, int Length, bool Fixed, string? Check, IReadOnlyList<string[]> Requires,
    string DigitalLink, string Title)
{
    private static readonly Lazy<IReadOnlyDictionary<string, Gs1ApplicationIdentifier>> Table = new(Load);

    /// <summary>Every AI the node reads, by AI.</summary>
    public static IReadOnlyDictionary<string, Gs1ApplicationIdentifier> All => Table.Value;

    /// <summary>The AI at the start of <paramref name="data"/> (AIs are 2 to 4 digits and none is a prefix of another), or null.</summary>
    public static Gs1ApplicationIdentifier? At(ReadOnlySpan<char> data)
    {
        for (var length = 2; length <= 4 && length <= data.Length; length++)
        {
            if (All.TryGetValue(data[..length].ToString(), out var ai))
            {
                return ai;
            }
        }
        return null;
    }

    private static Dictionary<string, Gs1ApplicationIdentifier> Load()
    {
        using var stream = typeof(Gs1ApplicationIdentifier).Assembly.GetManifestResourceStream("gs1-application-identifiers.tsv")
            ?? throw new InvalidOperationException("The GS1 application identifier table is not embedded.");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<string, Gs1ApplicationIdentifier>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var columns = line.Split('\t');
            var format = columns[1];
            var variable = format.Contains("..", StringComparison.Ordinal);
            var length = int.Parse(format[(variable ? 3 : 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var requires = columns[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(group => group.Split('|')).ToList();
            table.Add(columns[0], new Gs1ApplicationIdentifier(columns[0], format[0] == 'N', length, !variable, columns[2].Length == 0 ? null : columns[2],
                requires, columns[4], columns[5]));
        }
        return table;
    }
}
