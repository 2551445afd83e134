using System.Security.Cryptography;

namespace CareLedger.Node.Statistics;

/// <summary>
/// Noise for ε-differentially private counts, sampled exactly in integers: the discrete Laplace distribution
/// P(x) ∝ exp(-ε|x|) over the integers, by Algorithm 2 of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
/// Privacy" (2020), with ε = s/t rational (milli-epsilon s over t = 1000). A count query has sensitivity 1, so each released
/// count is <c>count + noise</c>, clamped at zero. No floating point is involved: a sampler in floating point leaks through the
/// gaps and rounding of its values (Mironov, "On Significance of the Least Significant Bits for Differential Privacy", 2012).
/// </summary>
/// <param name="below">A uniform integer in [0, n) for n ≥ 1; a cryptographic generator unless a test gives its own.</param>
public sealed class DiscreteLaplace(Func<int, int>? below = null)
{
    private readonly Func<int, int> _below = below ?? RandomNumberGenerator.GetInt32;

    /// <summary>A noisy count at ε = <paramref name="milliEpsilon"/>/1000: the count plus discrete Laplace noise, never below zero.</summary>
    public long NoisyCount(long count, long milliEpsilon) => Math.Max(0, count + Sample(checked((int)milliEpsilon), 1000));

    /// <summary>One sample with P(x) ∝ exp(-|x|·s/t), for integers s, t ≥ 1.</summary>
    public long Sample(int s, int t)
    {
        while (true)
        {
            var u = _below(t);
            if (!BernoulliExp(u, t))
            {
                continue;
            }
            var v = 0L;
            while (BernoulliExp(1, 1))
            {
                v++;
            }
            var y = (u + (t * v)) / s;
            var negative = _below(2) == 1;
            if (negative && y == 0)
            {
                continue;
            }
            return negative ? -y : y;
        }
    }

    // Bernoulli(exp(-n/d)) for integers n ≥ 0, d ≥ 1 (CKS20 Algorithm 1): exp(-1) once for each whole unit, then the fraction.
    private bool BernoulliExp(long n, int d)
    {
        for (var whole = n / d; whole > 0; whole--)
        {
            if (!BernoulliExpAtMostOne(1, 1))
            {
                return false;
            }
        }
        return BernoulliExpAtMostOne(n % d, d);
    }

    // For 0 ≤ n/d ≤ 1: draw Bernoulli(n/(d·k)) for k = 1, 2, … until one fails; the count of successes is even with probability exp(-n/d).
    private bool BernoulliExpAtMostOne(long n, int d)
    {
        var k = 1;
        while (_below(checked(d * k)) < n)
        {
            k++;
        }
        return k % 2 == 1;
    }
}
