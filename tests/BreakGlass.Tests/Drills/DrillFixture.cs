using BreakGlass.LocalAws;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Drills;

/// <summary>
/// BreakGlass with a drill role, behind the LocalAws front with IAM enforcement on: the front records every call as
/// CloudTrail and applies the conditions of BreakGlass's deny, so each drill's revoked session is refused while the
/// next drill's session on the same role works, as in AWS.
/// </summary>
public sealed class DrillFixture : BreakGlassFixture
{
    /// <summary>A role no other test of the class takes (<see cref="BreakGlassFixture.TakeDedicatedRole"/> is not used here).</summary>
    public const string DrillRole = "dedicated-11";

    public DrillFixture()
    {
        EvidenceSettings.Apply(Overrides);
        Overrides["Drills__Role"] = DrillRole;
        Overrides["Drills__RefusalDeadlineSeconds"] = "60";
        Overrides["Drills__EvidenceDeadlineSeconds"] = "90";
        Overrides["Drills__EvidencePollSeconds"] = "1";
    }

    private protected override LocalAwsOptions? LocalAwsFront =>
        new() { MotoAdmin = new MotoAdminCredentials(Aws.FrontAdmin.GetCredentials().AccessKey, Aws.FrontAdmin.GetCredentials().SecretKey) };
}
