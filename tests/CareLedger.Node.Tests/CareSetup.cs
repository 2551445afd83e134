using CareLedger.Client;
using CareLedger.Contracts.Identity;
using CareLedger.Core.Crypto;

namespace CareLedger.Node.Tests;

/// <summary>
/// A clinician enrolled by the node's organisation and a self-registered patient who, when actions are
/// given, grants that clinician those actions for purpose TREAT for an hour.
/// </summary>
internal sealed class CareSetup : IDisposable
{
    private CareSetup(SigningKey clinician, SigningKey patient)
    {
        Clinician = clinician;
        Patient = patient;
        PatientId = IdentityKeys.PatientIdFor(patient.Id);
    }

    public SigningKey Clinician { get; }

    public SigningKey Patient { get; }

    public string PatientId { get; }

    public static async Task<CareSetup> CreateAsync(CareLedgerClient client, SigningKey organisation, string chain, string member, string? actions)
    {
        var care = new CareSetup(SigningKey.Generate(), SigningKey.Generate());
        await CommitAsync(client, organisation, chain, "identity.enrol_member",
            $$"""{"member":"{{member}}","roles":["clinician"],"publicKey":"{{Convert.ToBase64String(care.Clinician.PublicKey.SubjectPublicKeyInfo)}}"}""");
        await CommitAsync(client, care.Patient, chain, "identity.register_patient",
            $$"""{"publicKey":"{{Convert.ToBase64String(care.Patient.PublicKey.SubjectPublicKeyInfo)}}"}""");
        if (actions is not null)
        {
            await CommitAsync(client, care.Patient, chain, "consent.grant",
                $$"""{"patient":"{{care.PatientId}}","grantee":{"kind":"member","id":"{{member}}"},"actions":{{actions}},"purposes":["TREAT"],"expires":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}}}""");
        }
        return care;
    }

    /// <summary>Signs, submits and waits; fails the test unless the transaction committed.</summary>
    /// <summary>The node's founding organisation admits a new organisation of <paramref name="kind"/>; its new key.</summary>
    public static async Task<SigningKey> AdmitAsync(InProcessNode node, string id, string kind)
    {
        var key = SigningKey.Generate();
        await CommitAsync(node.Client, node.AdminKey, node.Chain, "identity.propose_organisation",
            $$"""{"organisation":"{{id}}","kind":"{{kind}}","governing":false,"publicKeys":["{{Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo)}}"]}""");
        return key;
    }

    public static async Task CommitAsync(CareLedgerClient client, SigningKey signer, string chain, string type, string args)
    {
        var outcome = await client.SubmitAsync(new TransactionFactory(signer, chain).Create(type, args), TimeSpan.FromSeconds(10));
        Assert.True(outcome.Status == "committed", $"{type}: {outcome.Code} {outcome.Message}");
    }

    public void Dispose()
    {
        Clinician.Dispose();
        Patient.Dispose();
    }
}
