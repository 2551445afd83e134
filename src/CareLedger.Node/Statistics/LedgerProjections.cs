using System.Globalization;
using CareLedger.Contracts;
using CareLedger.Contracts.Insurance;
using CareLedger.Contracts.Prescriptions;
using CareLedger.Contracts.Statistics;
using CareLedger.Contracts.SupplyChain;
using CareLedger.Contracts.Trials;

namespace CareLedger.Node.Statistics;

/// <summary>
/// The facts statistics are made of, projected from ledger state (never from records in a vault): one fact per dispensed package, per
/// package of a recalled lot, per claim line, per trial subject, per filled prescription. Each fact is its dimension values and, for
/// care-process times, a duration in hours.
/// </summary>
public sealed class LedgerProjections(LedgerNode node)
{
    private const int ScanLimit = 10_000_000;

    /// <summary>The tables there are, and the dimensions each can be broken down by.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Tables = new Dictionary<string, IReadOnlyList<string>>
    {
        ["dispensing"] = ["product", "class", "region", "month"],
        ["recall-reach"] = ["product", "lot", "status"],
        ["claims"] = ["plan", "outcome", "month"],
        ["trial-enrolment"] = ["trial", "site", "status"],
        ["prescription-to-dispense"] = ["region", "month"],
    };

    /// <summary>The facts of <paramref name="table"/> (one of <see cref="Tables"/>).</summary>
    public IEnumerable<Fact> Facts(string table) => table switch
    {
        "dispensing" => Dispensing(),
        "recall-reach" => RecallReach(),
        "claims" => Claims(),
        "trial-enrolment" => TrialEnrolment(),
        "prescription-to-dispense" => PrescriptionToDispense(),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "No such table."),
    };

    private IEnumerable<Fact> Dispensing()
    {
        var state = node.Engine.State;
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in Scan<UnitRecord>("supply/unit/").Where(u => u.Status == "dispensed"))
        {
            if (!classes.TryGetValue(unit.Gtin, out var atcClass))
            {
                var atc = StateJson.Read<ProductRecord>(state.Get(SupplyKeys.Product(unit.Gtin)))?.Atc;
                classes[unit.Gtin] = atcClass = atc is { Length: >= 4 } ? atc[..4] : "unknown";
            }
            var step = unit.History.LastOrDefault(h => h.Step == "dispensing");
            yield return new Fact([unit.Gtin, atcClass, StatisticsContract.RegionOf(state, step?.Organisation ?? unit.Owner), Month(step?.Time ?? 0)]);
        }
    }

    private IEnumerable<Fact> RecallReach()
    {
        var recalled = Scan<LotRecord>("supply/lot/").Where(l => l.Status == "recalled").Select(l => (l.Gtin, l.Lot)).ToHashSet();
        return Scan<UnitRecord>("supply/unit/").Where(u => recalled.Contains((u.Gtin, u.Lot))).Select(u => new Fact([u.Gtin, u.Lot, u.Status]));
    }

    private IEnumerable<Fact> Claims()
    {
        var state = node.Engine.State;
        var plans = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in Scan<ClaimRecord>("ins/claim/"))
        {
            if (!plans.TryGetValue(claim.Policy, out var plan))
            {
                plans[claim.Policy] = plan = StateJson.Read<PolicyRecord>(state.Get(InsuranceKeys.Policy(claim.Policy)))?.Plan ?? "unknown";
            }
            foreach (var line in claim.Lines)
            {
                yield return new Fact([plan, line.Status, Month(claim.Submitted)]);
            }
        }
    }

    private IEnumerable<Fact> TrialEnrolment() =>
        Scan<EnrolmentRecord>("trial/subject/").Select(e => new Fact([e.Trial, e.Site, e.Status]));

    private IEnumerable<Fact> PrescriptionToDispense()
    {
        var state = node.Engine.State;
        return Scan<PrescriptionRecord>("rx/prescription/")
            .Where(p => p.Written > 0 && p.Fills.Count > 0)
            .Select(p => new Fact([StatisticsContract.RegionOf(state, p.Fills[0].Pharmacy), Month(p.Written)], (p.Fills[0].Time - p.Written) / 3_600_000.0));
    }

    private IEnumerable<T> Scan<T>(string prefix) where T : class =>
        node.Store.ScanState(prefix, ScanLimit).Select(row => StateJson.Read<T>(row.Value)!);

    private static string Month(long time) => time <= 0 ? "unknown"
        : DateTimeOffset.FromUnixTimeMilliseconds(time).ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>One fact: its value for each of the table's dimensions, in order, and a duration in hours where the table measures one.</summary>
public sealed record Fact(IReadOnlyList<string> Values, double? Hours = null);
