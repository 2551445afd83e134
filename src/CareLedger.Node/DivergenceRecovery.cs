using System.Globalization;
using System.Text.Json;
using CareLedger.Consensus.Raft;

namespace CareLedger.Node;

/// <summary>
/// A consortium node that finds it computed a block the majority certified differently rebuilds its ledger from the Raft
/// log, with no one editing files. It records the evidence (<c>diverged.json</c>) and exits with <see cref="RestartExitCode"/>
/// for its supervisor (systemd's <c>Restart=on-failure</c>) to start it again; at that start its store is moved to
/// <c>evidence/</c> and the node re-executes every committed entry of its Raft log from the genesis, checking every
/// signature, as a node joining from zero does. The log holds only what a majority committed, so a node that went wrong
/// for a passing reason (an uncommitted batch applied, a corrupted page) comes back in agreement. One that diverges again
/// in the same run executes differently from the majority (another version, a bug): it stays aside, serving
/// <c>consensus.diverged</c>, until it is restarted again (with a fixed build, the same steps rebuild it).
/// </summary>
internal sealed class DivergenceRecovery(DataDirectory data)
{
    /// <summary>The exit code that asks the supervisor for a restart (EX_TEMPFAIL): the next start rebuilds the ledger.</summary>
    public const int RestartExitCode = 75;

    /// <summary>True when this start moved a diverged store aside: a second divergence in this run is not rebuilt again.</summary>
    public bool RebuiltAtStart { get; private set; }

    /// <summary>Where the diverged store went at this start, or null.</summary>
    public string? EvidenceDirectory { get; private set; }

    private string MarkerPath => Path.Combine(data.Root, "diverged.json");

    /// <summary>Before the store opens: moves a store that diverged last run (its marker present) to <c>evidence/</c>.</summary>
    public void PrepareStart()
    {
        if (!File.Exists(MarkerPath))
        {
            return;
        }
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var evidence = Path.Combine(data.Root, "evidence", $"diverged-{stamp}");
        Directory.CreateDirectory(evidence);
        foreach (var file in new[] { data.LedgerPath, data.LedgerPath + "-wal", data.LedgerPath + "-shm" }.Where(File.Exists))
        {
            File.Move(file, Path.Combine(evidence, Path.GetFileName(file)));
        }
        File.Move(MarkerPath, Path.Combine(evidence, "diverged.json"));
        (RebuiltAtStart, EvidenceDirectory) = (true, evidence);
    }

    /// <summary>
    /// On a divergence: true when the node should stop for a rebuild (the evidence is written), false when this run already
    /// rebuilt and the node stays aside.
    /// </summary>
    public bool RequestRebuild(DivergenceEvidence evidence)
    {
        if (RebuiltAtStart)
        {
            return false;
        }
        File.WriteAllText(MarkerPath, JsonSerializer.Serialize(new
        {
            height = evidence.Height,
            ownHeader = evidence.OwnHeader.ToString(),
            majorityHeader = evidence.MajorityHeader.ToString(),
            majoritySigners = evidence.MajoritySignatures.Select(s => s.Signer.ToString()),
            at = DateTimeOffset.UtcNow,
        }));
        return true;
    }
}
