using System.Globalization;
using System.Text.RegularExpressions;

namespace CareLedger.Contracts.Genomics;

/// <summary>
/// A variant as a beacon query names it: <c>chromosome:position:ref:alt</c> (e.g. <c>17:43045712:G:A</c>; a leading "chr" is dropped,
/// M is written MT), 1-based position, alleles of A, C, G, T, N up to 100 bases.
/// </summary>
public sealed partial record Variant(string Chromosome, long Position, string Reference, string Alternate)
{
    [GeneratedRegex("^(?:chr)?([1-9]|1[0-9]|2[0-2]|X|Y|M|MT):([1-9][0-9]{0,9}):([ACGTN]{1,100}):([ACGTN]{1,100})$")]
    private static partial Regex Pattern();

    /// <summary>The variant, or null when <paramref name="text"/> is not chromosome:position:ref:alt.</summary>
    public static Variant? Parse(string text)
    {
        var m = Pattern().Match(text);
        return m.Success
            ? new Variant(Normalise(m.Groups[1].Value), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value, m.Groups[4].Value)
            : null;
    }

    /// <summary>A chromosome name as VCF files write it, in the form queries are compared in ("chr1" → "1", "M" → "MT").</summary>
    public static string Normalise(string chromosome)
    {
        var name = chromosome.StartsWith("chr", StringComparison.OrdinalIgnoreCase) ? chromosome[3..] : chromosome;
        return name == "M" ? "MT" : name;
    }

    public override string ToString() => $"{Chromosome}:{Position.ToString(CultureInfo.InvariantCulture)}:{Reference}:{Alternate}";
}
