using System.Globalization;

namespace CareLedger.Contracts.SupplyChain;

/// <summary>
/// GS1 application identifier data as found on a pharmaceutical DataMatrix: bracketed element strings
/// (<c>(01)…(17)…(10)…(21)…</c>), raw scans (<c>]d2</c> symbology identifier, FNC1 as ASCII GS <c>\x1D</c>
/// after variable-length fields) and GS1 Digital Link URIs (<c>https://id.gs1.org/01/…/10/…/21/…?17=…</c>).
/// Check digits, dates (YYMMDD, day 00 = last day of the month) and character sets are validated.
/// </summary>
public static class Gs1
{
    private const char GroupSeparator = '\u001d';

    // The application identifiers of pharmaceutical packaging and logistics: fixed length, or variable up to a maximum.
    private static readonly Dictionary<string, (int Length, bool Fixed, string Kind)> Ais = new(StringComparer.Ordinal)
    {
        ["00"] = (18, true, "sscc"),
        ["01"] = (14, true, "gtin"),
        ["10"] = (20, false, "text"),
        ["11"] = (6, true, "date"),
        ["17"] = (6, true, "date"),
        ["21"] = (20, false, "text"),
        ["30"] = (8, false, "count"),
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
        var data = text.StartsWith("]d2", StringComparison.Ordinal) || text.StartsWith("]Q3", StringComparison.Ordinal) ? text[3..] : text;
        var elements = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < data.Length)
        {
            if (data[i] == GroupSeparator)
            {
                i++;
                continue;
            }
            if (i + 2 > data.Length)
            {
                throw new Gs1Exception("gs1.malformed", "The data ends inside an application identifier.");
            }
            var ai = data.Substring(i, 2);
            if (!Ais.TryGetValue(ai, out var spec))
            {
                throw new Gs1Exception("gs1.unknown_ai", $"Application identifier ({ai}) at position {i} is not supported here.");
            }
            i += 2;
            int end;
            if (spec.Fixed)
            {
                end = i + spec.Length;
                if (end > data.Length)
                {
                    throw new Gs1Exception("gs1.bad_length", $"({ai}) needs {spec.Length} characters.");
                }
            }
            else
            {
                var gs = data.IndexOf(GroupSeparator, i);
                end = gs < 0 ? data.Length : gs;
            }
            elements.Add(KeyValuePair.Create(ai, data[i..end]));
            i = end;
        }
        return elements;
    }

    private static List<KeyValuePair<string, string>> DigitalLink(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new Gs1Exception("gs1.bad_uri", "Not a URI.");
        }
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var first = segments.FindIndex(s => s is "01" or "00");
        if (first < 0 || (segments.Count - first) % 2 != 0)
        {
            throw new Gs1Exception("gs1.bad_uri", "A GS1 Digital Link path is /01/{gtin}[/10/{lot}][/21/{serial}] (or /00/{sscc}).");
        }
        var elements = new List<KeyValuePair<string, string>>();
        for (var i = first; i < segments.Count; i += 2)
        {
            elements.Add(KeyValuePair.Create(segments[i], segments[i + 1]));
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (Ais.ContainsKey(key))
            {
                elements.Add(KeyValuePair.Create(key, eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..])));
            }
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
            if (!Ais.TryGetValue(ai, out var spec))
            {
                throw new Gs1Exception("gs1.unknown_ai", $"Application identifier ({ai}) is not supported here.");
            }
            if (spec.Fixed ? value.Length != spec.Length : value.Length is 0 || value.Length > spec.Length)
            {
                throw new Gs1Exception("gs1.bad_length", $"({ai}) must be {(spec.Fixed ? "exactly" : "1 to")} {spec.Length} characters; got {value.Length}.");
            }
            switch (spec.Kind)
            {
                case "gtin" or "sscc":
                    if (!value.All(char.IsAsciiDigit) || Gs1.CheckDigit(value.AsSpan(0, value.Length - 1)) != value[^1] - '0')
                    {
                        throw new Gs1Exception("gs1.bad_check_digit", $"({ai}){value}: the check digit should be {(value.All(char.IsAsciiDigit) ? CheckDigit(value.AsSpan(0, value.Length - 1)) : '?')}.");
                    }
                    break;
                case "date":
                    var date = ParseDate(value, referenceYear);
                    if (ai == "17")
                    {
                        expiry = date;
                    }
                    break;
                case "count":
                    if (!value.All(char.IsAsciiDigit))
                    {
                        throw new Gs1Exception("gs1.bad_characters", $"({ai}) is a count of digits.");
                    }
                    break;
                default:
                    if (!value.All(IsCset82))
                    {
                        throw new Gs1Exception("gs1.bad_characters", $"({ai}) holds a character outside GS1's character set 82.");
                    }
                    break;
            }
        }
        if (elements.GroupBy(e => e.Key).Any(g => g.Count() > 1))
        {
            throw new Gs1Exception("gs1.duplicate_ai", "An application identifier appears twice.");
        }
        return new Gs1Code(elements) { Expiry = expiry };
    }

    // GS1 AI encodable character set 82: printable ASCII except space, '#', '$', '@', '[', '\', ']', '^', '`', '{', '|', '}', '~'.
    private static bool IsCset82(char c) => c is >= '!' and <= 'z' && "#$@[\\]^`{|}".IndexOf(c, StringComparison.Ordinal) < 0;
}
