using System.Security.Cryptography;
using CareLedger.Contracts;
using CareLedger.Contracts.Consent;
using CareLedger.Contracts.Records;
using CareLedger.Contracts.Trials;
using CareLedger.Node.Records;
using Hl7.Fhir.Model;

namespace CareLedger.Node.Research;

/// <summary>
/// A trial site's side of recruitment without exposure. Screening runs here, over the records of patients who opened them to
/// research (a consent for purpose HRESCH to this organisation), each read logged like any other; the sponsor gets a count
/// (suppressed below k) and, on request, invitations sent through the pseudonymous inbox. A patient who accepts is enrolled under a
/// pseudonym of a key made for that trial alone.
/// </summary>
public sealed class ResearchDesk(LedgerNode node, Gatekeeper gate, OrganisationSigner signer, Statistics.StickyNoise noise, ResearchInbox inbox, TimeProvider clock)
{
    private const string PatientRecordsPrefix = "records/of/";
    private static readonly HashSet<string> ScreenedTypes = ["Patient", "Condition", "MedicationRequest", "MedicationStatement", "Observation"];

    /// <summary>ε of the noise on a screening count (milli-epsilon): 1.0.</summary>
    public const long ScreeningMilliEpsilon = 1000;

    /// <summary>
    /// Screens this site's research-consenting patients for the sponsor and posts the count under sticky noise
    /// (<see cref="Statistics.StickyNoise"/>), or "suppressed" below k, on the ledger: screening again after one patient opens or closes
    /// their records does not tell the sponsor that patient's eligibility.
    /// </summary>
    public async Task<(MatchRecord? Match, Refusal? Refusal)> PostCountAsync(Caller sponsor, string trialId, CancellationToken cancellationToken)
    {
        var (trial, site, refusal) = ForSponsor(sponsor, trialId);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        var eligible = await EligibleAsync(trial!, cancellationToken);
        var released = noise.Release($"screening|{trial!.Id}|{site}", eligible.Count, ScreeningMilliEpsilon);
        object args = released >= trial.K ? new { trial = trial.Id, eligible = released } : new { trial = trial.Id, suppressed = true };
        var posted = await signer.SubmitAsync("trial.post_match", args, cancellationToken);
        return posted.Committed ? (StateJson.Read<MatchRecord>(node.Engine.State.Get(TrialKeys.Match(trial.Id, site!))), null) : (null, Refusal.From(posted));
    }

    /// <summary>
    /// Sends the sponsor's invitation to every eligible patient not yet invited, k or more at a time: the inbox learns who, the ledger
    /// only the invitation ids. Fewer than k are never sent, so the sponsor learns no small count.
    /// </summary>
    public async Task<(int Invited, Refusal? Refusal)> InviteAsync(Caller sponsor, string trialId, CancellationToken cancellationToken)
    {
        var (trial, _, refusal) = ForSponsor(sponsor, trialId);
        if (refusal is not null)
        {
            return (0, refusal);
        }
        var invited = inbox.InvitedTo(trial!.Id);
        var patients = (await EligibleAsync(trial, cancellationToken)).Where(p => !invited.Contains(p)).ToList();
        if (patients.Count < trial.K)
        {
            return (0, new Refusal(409, TrialErrors.SmallCount, $"Fewer than k = {trial.K} eligible patients are left to invite; none was sent."));
        }
        var invitations = patients.Select(p => ("inv:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), new InboxEntry(p, trial.Id))).ToList();
        inbox.Add(invitations);
        var sent = await signer.SubmitAsync("trial.invite", new { trial = trial.Id, invitations = invitations.Select(i => i.Item1) }, cancellationToken);
        if (!sent.Committed)
        {
            inbox.Remove(invitations.Select(i => i.Item1));
            return (0, Refusal.From(sent));
        }
        return (invitations.Count, null);
    }

    /// <summary>The invitations in <paramref name="patient"/>'s inbox, with the trial they are for and the consent document to sign.</summary>
    public IReadOnlyList<InvitationView> InvitationsOf(string patient) => inbox.Of(patient)
        .Select(i => (i.Invitation, Record: StateJson.Read<InvitationRecord>(node.Engine.State.Get(TrialKeys.Invitation(i.Invitation)))))
        .Where(i => i.Record is not null)
        .Select(i =>
        {
            var trial = TrialsContract.Get(node.Engine.State, i.Record!.Trial);
            var forms = TrialsContract.ConsentForms(node.Engine.State, trial.Id);
            return new InvitationView(i.Invitation, trial.Id, trial.Title, trial.Sponsor, i.Record.Site, i.Record.Status, forms.Count > 0 ? forms[^1] : null);
        })
        .ToList();

    /// <summary>
    /// The patient accepts an invitation: the site enrols the trial key they made (which signed the consent) under its pseudonym.
    /// An invitation that is not the caller's is answered as unknown, whoever it belongs to.
    /// </summary>
    public async Task<(string? Subject, Refusal? Refusal)> AcceptAsync(Caller patient, string invitation, AcceptInvitation body, CancellationToken cancellationToken)
    {
        if (inbox.Find(invitation) is not { } entry || entry.Patient != patient.Id)
        {
            return (null, new Refusal(404, "not_found", $"No invitation {invitation} in your inbox."));
        }
        var enrolled = await signer.SubmitAsync("trial.enrol", new
        {
            trial = entry.Trial,
            invitation,
            publicKey = body.PublicKey,
            consentHash = body.ConsentHash,
            consentSignature = body.ConsentSignature,
        }, cancellationToken);
        return enrolled.Committed ? (enrolled.Result!.Events.Single(e => e.Type == "trial.enrolled").Attributes["subject"], null) : (null, Refusal.From(enrolled));
    }

    /// <summary>
    /// Carries a subject's withdrawal (signed with their trial key) to the ledger under this site's key, so that neither the patient's own
    /// key nor anything else linking them to the subject appears on it.
    /// </summary>
    public async Task<Refusal?> WithdrawAsync(string trial, string subject, string signature, CancellationToken cancellationToken)
    {
        var enrolment = StateJson.Read<EnrolmentRecord>(node.Engine.State.Get(TrialKeys.Subject(trial, subject)));
        if (enrolment is null || enrolment.Site != signer.Organisation)
        {
            return new Refusal(404, TrialErrors.UnknownSubject, $"{subject} is not a subject of {trial} at this site.");
        }
        var withdrawn = await signer.SubmitAsync("trial.withdraw", new { trial, subject, signature }, cancellationToken);
        return withdrawn.Committed ? null : Refusal.From(withdrawn);
    }

    // The trial, and this node's organisation as one of its sites, for a caller from the trial's sponsor.
    private (TrialRecord? Trial, string? Site, Refusal? Refusal) ForSponsor(Caller caller, string trialId)
    {
        var trial = StateJson.Read<TrialRecord>(node.Engine.State.Get(TrialKeys.Trial(trialId)));
        if (trial is null)
        {
            return (null, null, new Refusal(404, TrialErrors.UnknownTrial, $"No trial {trialId}."));
        }
        if (caller.Organisation != trial.Sponsor || caller.Kind == "patient")
        {
            return (null, null, new Refusal(403, TrialErrors.NotAuthorised, $"Screening and invitations are asked for by {trial.Sponsor}."));
        }
        var site = signer.Organisation;
        return trial.Sites.Any(s => s.Site == site)
            ? (trial, site, null)
            : (null, null, new Refusal(409, TrialErrors.BadSite, $"This node's organisation ({site ?? "unknown"}) is not a site of {trial.Id}."));
    }

    // The patients whose research-opened records here meet the current criteria; every record read is logged first.
    private async Task<List<string>> EligibleAsync(TrialRecord trial, CancellationToken cancellationToken)
    {
        var custodian = signer.AsCaller!;
        var state = node.Engine.State;
        var now = clock.GetUtcNow();
        var readable = node.Store.ScanState(PatientRecordsPrefix, 1_000_000)
            .SelectMany(row => StateJson.Read<List<string>>(row.Value)!.Select(id => StateJson.Read<RecordEntry>(state.Get(RecordKeys.Record(id)))!))
            .Where(r => r.Custodian == custodian.Organisation && r.Status == "active" && ScreenedTypes.Contains(r.ResourceType))
            .Where(r => AccessDecisionPoint.Decide(state, new AccessRequest(custodian, r.Patient, r.AsRef(), "read", PurposeOfUse.Research,
                now.ToUnixTimeMilliseconds())).Permit)
            .ToList();
        var reads = await System.Threading.Tasks.Task.WhenAll(readable.Select(r => gate.ReadAsync(custodian, r.Id, null, PurposeOfUse.Research, cancellationToken)));
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return readable.Zip(reads)
            .Where(x => x.Second.Status == 200)
            .GroupBy(x => x.First.Patient, x => x.Second.Resource)
            .Where(g => TrialScreening.Meets(trial.Current.Eligibility, g.ToList(), today))
            .Select(g => g.Key)
            .ToList();
    }
}

/// <summary>An invitation as its patient sees it, with the hash of the consent form to sign (when the trial anchored one).</summary>
public sealed record InvitationView(string Invitation, string Trial, string Title, string Sponsor, string Site, string Status, string? ConsentFormHash);

/// <summary>A subject's withdrawal: the trial, the pseudonym, and the trial key's signature of the withdrawal.</summary>
public sealed record Withdrawal(string Trial, string Subject, string Signature);

/// <summary>The patient's acceptance: the trial key they made (base64 SPKI), the consent form's hash and the key's signature of it.</summary>
public sealed record AcceptInvitation(string PublicKey, string ConsentHash, string ConsentSignature);
