namespace CareLedger.Contracts.Consent;

/// <summary>
/// An entry of a patient's consent index: a grant id and whom it names, so a decision reads only the caller's grants; or a delegate
/// (<see cref="Grantee"/> kind "delegate", <see cref="Id"/> empty), so a decision reads a delegation only for someone who has one.
/// </summary>
public sealed record GrantRef(string Id, Grantee Grantee)
{
    public const string DelegateKind = "delegate";

    public static GrantRef ForDelegate(string delegateId) => new("", new Grantee(DelegateKind, delegateId, null));

    public bool IsDelegate => Grantee.Kind == DelegateKind;
}
