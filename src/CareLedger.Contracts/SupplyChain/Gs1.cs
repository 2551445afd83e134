using System.Globalization;

namespace CareLedger.Contracts.SupplyChain;

/// <summary>
/// GS1 application identifier data as found on a pharmaceutical DataMatrix: bracketed element strings
/// (<c>(01)…(17)…(10)…(21)…</c>), raw scans (symbology identifiers <c>]d2</c> DataMatrix, <c>]Q3</c> QR, <c>]C1</c> GS1-128,
/// <c>]e0</c> GS1 DataBar; FNC1 as ASCII GS <c>\x1D</c> after variable-length fields) and GS1 Digital Link URIs
/// (<c>https://id.gs1.org/01/…/10/…/21/…?17=…</c>). AIs come from a table (<see cref="Gs1ApplicationIdentifier"/>): lengths,
/// character sets, check digits, dates, the AIs each requires, and the Digital Link grammar (a key, its qualifiers in order in
/// the path, data attributes in the query) are all checked. An AI repeated with the same value counts once.
/// </summary>
public static class Gs1
{
    private const char GroupSeparator = '\u001d';

    private static readonly string[] SymbologyIdentifiers = ["]d2", "]Q3", "]C1", "]e0"];

    // A Digital Link key's qualifiers, in the order they must follow it in the path.
    private static readonly Dictionary<string, string[]> Qualifiers = new(StringComparer.Ordinal)
    {
        ["01"] = ["22", "10", "21"], ["00"] = [], ["414"] = [], ["417"] = [], ["8004"] = [],
    };

    /// <summary>Parses any of the three forms; <see cref="Gs1Exception"/> with the reason otherwise.</summary>
    public static Gs1Code Parse(string data, int referenceYear)
    {
        if (string.IsNullOrWhiteSpace(data))
        {
            throw new Gs1Exception("gs1.empty", "No GS1 data.");
        }
        var text = data.Trim();
        var elements = text switch
        {
            _ when text.StartsWith('(') => Bracketed(text),
            _ when text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) => DigitalLink(text),
            _ => Raw(text),
        };
        return Validate(elements, referenceYear);
    }

    /// <summary>The GS1 mod-10 check digit of the digits before it.</summary>
    public static int CheckDigit(ReadOnlySpan<char> digitsWithoutCheck)
    {
        var sum = 0;
        for (var i = 0; i < digitsWithoutCheck.Length; i++)
        {
            var d = digitsWithoutCheck[digitsWithoutCheck.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? d * 3 : d;
        }
        return (10 - (sum % 10)) % 10;
    }

    /// <summary>True for 14 digits whose last is the GS1 check digit of the others.</summary>
    public static bool IsValidGtin(string? gtin) =>
        gtin is { Length: 14 } && gtin.All(char.IsAsciiDigit) && CheckDigit(gtin.AsSpan(0, 13)) == gtin[13] - '0';

    /// <summary>
    /// A YYMMDD date: day 00 is the last day of the month; the century follows GS1's sliding window
    /// (within 49 years back and 50 years ahead of <paramref name="referenceYear"/>).
    /// </summary>
    public static DateOnly ParseDate(string yymmdd, int referenceYear)
    {
        if (yymmdd.Length != 6 || !yymmdd.All(char.IsAsciiDigit))
        {
            throw new Gs1Exception("gs1.bad_date", $"'{yymmdd}' is not a YYMMDD date.");
        }
        var yy = int.Parse(yymmdd.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var month = int.Parse(yymmdd.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var difference = yy - (referenceYear % 100);
        var century = (referenceYear / 100) + (difference >= 51 ? -1 : difference <= -50 ? 1 : 0);
        var year = (century * 100) + yy;
        if (month is < 1 or > 12)
        {
            throw new Gs1Exception("gs1.bad_date", $"'{yymmdd}' has month {month}.");
        }
        var last = DateTime.DaysInMonth(year, month);
        if (day > last)
        {
            throw new Gs1Exception("gs1.bad_date", $"'{yymmdd}': {year}-{month:00} has {last} days.");
        }
        return new DateOnly(year, month, day == 0 ? last : day);
    }

    private static List<KeyValuePair<string, string>> Bracketed(string text)
    {
        var elements = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '(')
            {
                throw new Gs1Exception("gs1.malformed", $"Expected '(' at position {i}.");
            }
            var close = text.IndexOf(')', i);
            if (close < 0)
            {
                throw new Gs1Exception("gs1.malformed", "An application identifier is not closed with ')'.");
            }
            var ai = text[(i + 1)..close];
            var next = text.IndexOf('(', close);
            var value = next < 0 ? text[(close + 1)..] : text[(close + 1)..next];
            elements.Add(KeyValuePair.Create(ai, value));
            i = next < 0 ? text.Length : next;
        }
        return elements;
    }

    private static List<KeyValuePair<string, string>> Raw(string text)
    {
        var data = SymbologyIdentifiers.FirstOrDefault(id => text.StartsWith(id, StringComparison.Ordinal)) is { } symbology ? text[symbology.Length..] : text;
        var elements = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < data.Length)
        {
            if (data[i] == GroupSeparator)
            {
                i++;
                continue;
            }
            var spec = Gs1ApplicationIdentifier.At(data.AsSpan(i))
                ?? throw new Gs1Exception("gs1.unknown_ai", $"No application identifier this node knows starts at position {i} ({data.Substring(i, Math.Min(4, data.Length - i))}…).");
            i += spec.Ai.Length;
            int end;
            if (spec.Fixed)
            {
                end = i + spec.Length;
                if (end > data.Length)
                {
                    throw new Gs1Exception("gs1.bad_length", $"({spec.Ai}) needs {spec.Length} characters.");
                }
            }
            else
            {
                var gs = data.IndexOf(GroupSeparator, i);
                end = gs < 0 ? data.Length : gs;
            }
            elements.Add(KeyValuePair.Create(spec.Ai, data[i..end]));
            i = end;
        }
        return elements;
    }

    // The path is a key and its value, then qualifiers in their defined order; data attributes go in the query, where
    // parameters that are not AIs (linkType, …) are left for the resolver. A key or qualifier in the query is refused.
    private static List<KeyValuePair<string, string>> DigitalLink(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new Gs1Exception("gs1.bad_uri", "Not a URI.");
        }
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var first = segments.FindIndex(Qualifiers.ContainsKey);
        if (first < 0 || (segments.Count - first) % 2 != 0)
        {
            throw new Gs1Exception("gs1.bad_uri", "A GS1 Digital Link path is a key and its value (/01/{gtin}, /00/{sscc}, …), then its qualifiers (/22, /10, /21 in that order).");
        }
        var key = segments[first];
        var elements = new List<KeyValuePair<string, string>> { KeyValuePair.Create(key, segments[first + 1]) };
        var allowed = Qualifiers[key];
        var position = -1;
        for (var i = first + 2; i < segments.Count; i += 2)
        {
            var next = Array.IndexOf(allowed, segments[i]);
            if (next < 0)
            {
                throw new Gs1Exception("gs1.bad_uri", Gs1ApplicationIdentifier.All.TryGetValue(segments[i], out var ai) && ai.DigitalLink == "attribute"
                    ? $"({segments[i]}) is a data attribute: it goes in the query (?{segments[i]}=…), not the path."
                    : $"({segments[i]}) does not qualify ({key}) in a Digital Link path (qualifiers: {string.Join(", ", allowed)}).");
            }
            if (next <= position)
            {
                throw new Gs1Exception("gs1.bad_uri", $"Qualifiers of ({key}) go in the order {string.Join(", ", allowed.Select(q => $"/{q}"))}.");
            }
            position = next;
            elements.Add(KeyValuePair.Create(segments[i], segments[i + 1]));
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (!name.All(char.IsAsciiDigit))
            {
                continue;
            }
            if (!Gs1ApplicationIdentifier.All.TryGetValue(name, out var ai))
            {
                throw new Gs1Exception("gs1.unknown_ai", $"Application identifier ({name}) in the query is not one this node knows.");
            }
            if (ai.DigitalLink != "attribute")
            {
                throw new Gs1Exception("gs1.bad_uri", $"({name}) is a key or qualifier: it goes in the path, not the query.");
            }
            elements.Add(KeyValuePair.Create(name, eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..])));
        }
        return elements;
    }

    private static Gs1Code Validate(List<KeyValuePair<string, string>> elements, int referenceYear)
    {
        if (elements.Count == 0)
        {
            throw new Gs1Exception("gs1.empty", "No application identifiers found.");
        }
        DateOnly? expiry = null;
        foreach (var (ai, value) in elements)
        {
            if (!Gs1ApplicationIdentifier.All.TryGetValue(ai, out var spec))
            {
                throw new Gs1Exception("gs1.unknown_ai", $"Application identifier ({ai}) is not one this node knows.");
            }
            if (spec.Fixed ? value.Length != spec.Length : value.Length is 0 || value.Length > spec.Length)
            {
                throw new Gs1Exception("gs1.bad_length", $"({ai}) must be {(spec.Fixed ? "exactly" : "1 to")} {spec.Length} characters; got {value.Length}.");
            }
            if (spec.Numeric ? !value.All(char.IsAsciiDigit) : !value.All(IsCset82))
            {
                throw new Gs1Exception("gs1.bad_characters", spec.Numeric ? $"({ai}) {spec.Title} is digits only." : $"({ai}) holds a character outside GS1's character set 82.");
            }
            switch (spec.Check)
            {
                case "csum" when CheckDigit(value.AsSpan(0, value.Length - 1)) != value[^1] - '0':
                    throw new Gs1Exception("gs1.bad_check_digit", $"({ai}){value}: the check digit should be {CheckDigit(value.AsSpan(0, value.Length - 1))}.");
                case "yymmdd" or "yymmd0":
                    if (spec.Check == "yymmdd" && value.EndsWith("00", StringComparison.Ordinal))
                    {
                        throw new Gs1Exception("gs1.bad_date", $"({ai}) {spec.Title} names a day; 00 is allowed only for best-before, sell-by and expiry dates.");
                    }
                    var date = ParseDate(value, referenceYear);
                    expiry = ai == "17" ? date : expiry;
                    break;
                case "yymmddhhmi":
                    ParseDate(value[..6], referenceYear);
                    if (int.Parse(value.AsSpan(6, 2), CultureInfo.InvariantCulture) > 23 || int.Parse(value.AsSpan(8, 2), CultureInfo.InvariantCulture) > 59)
                    {
                        throw new Gs1Exception("gs1.bad_date", $"({ai}){value}: hours 00-23 and minutes 00-59.");
                    }
                    break;
            }
        }
        // The same AI twice with the same value is one element; with different values it contradicts itself.
        var distinct = elements.Distinct().ToList();
        if (distinct.GroupBy(e => e.Key).FirstOrDefault(g => g.Count() > 1) is { } conflict)
        {
            throw new Gs1Exception("gs1.duplicate_ai", $"({conflict.Key}) appears twice with different values.");
        }
        var present = distinct.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (ai, _) in distinct)
        {
            if (Gs1ApplicationIdentifier.All[ai].Requires.FirstOrDefault(group => !group.Any(present.Contains)) is { } missing)
            {
                throw new Gs1Exception("gs1.missing_ai", $"({ai}) {Gs1ApplicationIdentifier.All[ai].Title} requires {string.Join(" or ", missing.Select(m => $"({m})"))}.");
            }
        }
        return new Gs1Code(distinct) { Expiry = expiry };
    }

    // GS1 AI encodable character set 82: printable ASCII except space, '#', '$', '@', '[', '\', ']', '^', '`', '{', '|', '}', '~'.
    private static bool IsCset82(char c) => c is >= '!' and <= 'z' && "#$@[\\]^`{|}".IndexOf(c, StringComparison.Ordinal) < 0;
}
