using System.Security.Cryptography;
using System.Text;

namespace CareLedger.Node.Statistics;

/// <summary>
/// Noise for counts that anyone may ask again and again (Beacon variant counts, trial screening counts): discrete Laplace noise
/// (<see cref="DiscreteLaplace"/>) drawn from a generator keyed by this node's secret and seeded by the question and the true count.
/// The same question over the same data always gets the same answer, so asking again does not average the noise away; when the data
/// change by one person the answer is a fresh draw, so the difference does not reveal that person.
/// </summary>
public sealed class StickyNoise(byte[] secret)
{
    /// <summary>The key of a node's sticky noise, kept in <paramref name="path"/> (32 random bytes, created on first use, mode 600).</summary>
    public static StickyNoise OpenOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return new StickyNoise(File.ReadAllBytes(path));
    }

    /// <summary>The count as released for <paramref name="question"/>: count plus noise at ε = <paramref name="milliEpsilon"/>/1000, never negative.</summary>
    public long Release(string question, long count, long milliEpsilon)
    {
        var stream = new HmacStream(secret, Encoding.UTF8.GetBytes($"{question}\n{count}"));
        return new DiscreteLaplace(stream.Below).NoisyCount(count, milliEpsilon);
    }

    // A deterministic stream of uniform integers: HMAC-SHA256(key, seed ‖ counter) blocks, with rejection sampling.
    private sealed class HmacStream(byte[] key, byte[] seed)
    {
        private readonly byte[] _block = new byte[32];
        private long _counter;
        private int _used = 32;

        public int Below(int n)
        {
            var limit = uint.MaxValue - (uint.MaxValue % (uint)n);
            while (true)
            {
                var value = Next();
                if (value < limit)
                {
                    return (int)(value % (uint)n);
                }
            }
        }

        private uint Next()
        {
            if (_used == 32)
            {
                var input = new byte[seed.Length + 8];
                seed.CopyTo(input, 0);
                BitConverter.TryWriteBytes(input.AsSpan(seed.Length), _counter++);
                HMACSHA256.HashData(key, input, _block);
                _used = 0;
            }
            var value = BitConverter.ToUInt32(_block, _used);
            _used += 4;
            return value;
        }
    }
}
