using CareLedger.Core.Crypto;

namespace CareLedger.Cli;

/// <summary>Parses hex arguments, rejecting anything malformed with a reason.</summary>
internal static class HexInput
{
    public static bool TryBytes(string text, out byte[] bytes, out string? error)
    {
        error = null;
        bytes = [];
        try
        {
            bytes = Convert.FromHexString(text.Trim());
            return true;
        }
        catch (FormatException)
        {
            error = $"'{Shorten(text)}' is not hexadecimal.";
            return false;
        }
    }

    public static bool TryHash(string text, string what, out Hash hash, out string? error)
    {
        error = null;
        if (!TryBytes(text, out var bytes, out error))
        {
            hash = default;
            return false;
        }
        if (bytes.Length != Hash.Size)
        {
            hash = default;
            error = $"{what} must be {Hash.Size} bytes (64 hex digits); got {bytes.Length} bytes.";
            return false;
        }
        hash = Hash.FromBytes(bytes);
        return true;
    }

    public static bool TryHashList(string? text, string what, out List<Hash> hashes, out string? error)
    {
        hashes = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryHash(part, what, out var h, out error))
            {
                return false;
            }
            hashes.Add(h);
        }
        return true;
    }

    /// <summary>One leaf input per line, in hex; an empty line is the empty leaf.</summary>
    public static bool TryLeafFile(string path, out List<byte[]> leaves, out string? error)
    {
        leaves = [];
        error = null;
        if (!File.Exists(path))
        {
            error = $"No such file: {path}";
            return false;
        }
        var lineNo = 0;
        foreach (var line in File.ReadAllLines(path))
        {
            lineNo++;
            if (!TryBytes(line, out var leaf, out error))
            {
                error = $"line {lineNo}: {error}";
                return false;
            }
            leaves.Add(leaf);
        }
        return true;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
