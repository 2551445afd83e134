using System.Security.Cryptography;

namespace CareLedger.Node.Statistics;

/// <summary>
/// Laplace noise for ε-differentially private counts: a count query has sensitivity 1 (one event more or less changes one cell by
/// one), so each released count is <c>round(count + Lap(1/ε))</c>, clamped at zero. Samples come from a cryptographic generator
/// by inverse transform: for u uniform on (-½, ½), <c>-b·sign(u)·ln(1 - 2|u|)</c> is Laplace with scale b.
/// </summary>
public sealed class LaplaceNoise(Func<double>? uniform = null)
{
    private readonly Func<double> _uniform = uniform ?? CryptoUniform;

    /// <summary>The Laplace sample of scale <paramref name="scale"/> that the uniform value <paramref name="u"/> in (-½, ½) maps to.</summary>
    public static double Sample(double scale, double u) => -scale * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)));

    /// <summary>A noisy count: the count plus Laplace noise of scale 1/ε, rounded to an integer, never below zero.</summary>
    public long NoisyCount(long count, double epsilon) => Math.Max(0, (long)Math.Round(count + Sample(1 / epsilon, _uniform()), MidpointRounding.AwayFromZero));

    /// <summary>Uniform on the open interval (-½, ½) from 53 random bits.</summary>
    private static double CryptoUniform()
    {
        while (true)
        {
            var u = (RandomNumberGenerator.GetInt32(int.MaxValue) * (double)(1L << 22) + RandomNumberGenerator.GetInt32(1 << 22)) / (1L << 53) - 0.5;
            if (u > -0.5)
            {
                return u;
            }
        }
    }
}
