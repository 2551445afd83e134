using CareLedger.Contracts.Credentials;

namespace CareLedger.Contracts.Insurance;

/// <summary>
/// What kind of service a billed code is, from its form: a GS1 GTIN (14 digits) is a medicine, CPT 80047-89398 a laboratory test,
/// CPT 99202-99499 an evaluation and management visit, anything else a procedure. Which providers may bill each kind (CARC 170 when
/// not) and which professions may render it (CARC 185 when not) follow from it.
/// </summary>
public static class ServiceClass
{
    public const string Medicine = "medicine";
    public const string Laboratory = "laboratory";
    public const string Visit = "visit";
    public const string Procedure = "procedure";

    public static string Of(string code)
    {
        if (code.Length == 14 && code.All(char.IsAsciiDigit))
        {
            return Medicine;
        }
        if (code.Length == 5 && int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cpt))
        {
            return cpt switch
            {
                >= 80047 and <= 89398 => Laboratory,
                >= 99202 and <= 99499 => Visit,
                _ => Procedure,
            };
        }
        return Procedure;
    }

    /// <summary>Whether an organisation of <paramref name="kind"/> may bill a service of <paramref name="serviceClass"/>: a pharmacy bills medicines, a laboratory tests; hospitals and clinics bill anything.</summary>
    public static bool BillableBy(string? kind, string serviceClass) => kind switch
    {
        "Hospital" or "Clinic" => true,
        "Pharmacy" => serviceClass == Medicine,
        "Laboratory" => serviceClass == Laboratory,
        _ => false,
    };

    /// <summary>Whether a licence for <paramref name="profession"/> lets its holder render <paramref name="serviceClass"/>.</summary>
    public static bool RenderableBy(string profession, string serviceClass) => serviceClass switch
    {
        Medicine => profession == "pharmacist" || Licensing.PrescribingProfessions.Contains(profession),
        Visit => Licensing.PrescribingProfessions.Contains(profession),
        _ => true,
    };
}
