using System.Text;
using CareLedger.Contracts.Genomics;

namespace CareLedger.Node.Research;

/// <summary>
/// Does a VCF file carry a variant? A data line matches on chromosome (chr prefix ignored), position, reference and one of the
/// alternate alleles; when the line has genotypes, the first sample's GT must include that allele (0/0 or ./. does not carry it).
/// </summary>
public static class VcfScan
{
    public static bool Carries(byte[] vcf, Variant variant)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(vcf));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var columns = line.Split('\t');
            if (columns.Length < 5 || Variant.Normalise(columns[0]) != variant.Chromosome || columns[1] != variant.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)
                || columns[3] != variant.Reference)
            {
                continue;
            }
            var allele = Array.IndexOf(columns[4].Split(','), variant.Alternate) + 1;
            if (allele > 0 && CarriesAllele(columns, allele))
            {
                return true;
            }
        }
        return false;
    }

    // Without genotypes a site-only line counts as carrying it; with them, the first sample's GT names the allele.
    private static bool CarriesAllele(string[] columns, int allele)
    {
        if (columns.Length < 10)
        {
            return true;
        }
        var gt = Array.IndexOf(columns[8].Split(':'), "GT");
        if (gt < 0)
        {
            return true;
        }
        var fields = columns[9].Split(':');
        return gt < fields.Length && fields[gt].Split('/', '|').Contains(allele.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
