using System.Text.Json.Nodes;
using BreakGlass.Tests.Infrastructure;
using static BreakGlass.Tests.Deploy.CloudFormationTemplates;

namespace BreakGlass.Tests.Deploy;

/// <summary>The templates lint clean and hold the protections docs/revocation.md claims for each layer.</summary>
public sealed class CloudFormationTemplateTests
{
    private static readonly string[] RoleEdits =
    [
        "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole", "iam:DeleteRole",
    ];

    [Fact]
    public async Task EveryTemplatePassesCfnLint()
    {
        Assert.Contains(Path.Combine(Folder, "breakglass.yaml"), All);
        Assert.Contains(Path.Combine(Folder, "breakglass-scp.yaml"), All);
        Assert.Contains(Path.Combine(Folder, "breakglass-member.yaml"), All);

        await ChildProcess.RunAsync("cfn-lint", All);
    }

    [Fact]
    public async Task ABreakGlassSessionCannotEditAnyBreakGlassRoleOrTheBrokerNorPassOrAssumeTheBroker()
    {
        var template = await ReadAsync("breakglass.yaml");
        var protect = template["Resources"]!["ProtectRevocationsPolicy"]!["Properties"]!["PolicyDocument"]!["Statement"]!;

        var roles = Statement(protect, "DenyEditingTheBreakGlassRoles");
        Assert.Equal("Deny", (string?)roles["Effect"]);
        Assert.Superset(RoleEdits.ToHashSet(), Strings(roles["Action"]).ToHashSet());
        Assert.Equal(["""{"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/breakglass/*"}"""], Strings(roles["Resource"]));
        var broker = Statement(protect, "DenyEditingTheBroker");
        Assert.Superset(
            new[] { "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:DeleteUser" }.ToHashSet(),
            Strings(broker["Action"]).ToHashSet());
        Assert.Equal(["""{"Ref":"BrokerPrincipalArn"}"""], Strings(broker["Resource"]));
        var becoming = Statement(protect, "DenyBecomingOrPassingTheBroker");
        Assert.Equal(["sts:AssumeRole", "iam:PassRole"], Strings(becoming["Action"]));
        Assert.Equal(["""{"Ref":"BrokerPrincipalArn"}"""], Strings(becoming["Resource"]));
        Assert.Equal("Deny", (string?)becoming["Effect"]);
        foreach (var role in new[] { "AdminRole", "ReadOnlyRole" })
        {
            Assert.Contains("""{"Ref":"ProtectRevocationsPolicy"}""", Strings(template["Resources"]![role]!["Properties"]!["ManagedPolicyArns"]));
            Assert.Equal("/breakglass/", (string?)template["Resources"]![role]!["Properties"]!["Path"]);
        }
    }

    [Fact]
    public async Task RoleChainingIsDeniedUnlessTheParameterAllowsIt()
    {
        var template = await ReadAsync("breakglass.yaml");
        var protect = template["Resources"]!["ProtectRevocationsPolicy"]!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();

        Assert.Equal("false", (string?)template["Parameters"]!["AllowRoleChaining"]!["Default"]);
        Assert.Equal("""{"Fn::Equals":[{"Ref":"AllowRoleChaining"},"false"]}""", template["Conditions"]!["DenyRoleChaining"]!.ToJsonString());
        var conditional = protect.Single(statement => statement!["Fn::If"] is JsonArray branches && (string?)branches[0] == "DenyRoleChaining")!;
        var chaining = conditional["Fn::If"]![1]!;
        Assert.Equal(("DenyRoleChaining", "Deny", "sts:AssumeRole", "*"),
            ((string?)chaining["Sid"], (string?)chaining["Effect"], (string?)chaining["Action"], (string?)chaining["Resource"]));
        Assert.Equal("""{"Ref":"AWS::NoValue"}""", conditional["Fn::If"]![2]!.ToJsonString());
    }

    [Fact]
    public async Task TheServiceControlPolicyProtectsTheRolesAndTheBrokerFromEveryoneButTheBrokerAndTheDeployers()
    {
        var template = await ReadAsync("breakglass-scp.yaml");
        var policy = template["Resources"]!["BreakGlassProtection"]!;
        var statements = policy["Properties"]!["Content"]!["Statement"]!;

        Assert.Equal("AWS::Organizations::Policy", (string?)policy["Type"]);
        Assert.Equal("SERVICE_CONTROL_POLICY", (string?)policy["Properties"]!["Type"]);
        var inline = Statement(statements, "OnlyTheBrokerWritesBreakGlassInlinePolicies");
        Assert.Equal(["iam:PutRolePolicy", "iam:DeleteRolePolicy"], Strings(inline["Action"]));
        Assert.Equal(["arn:*:iam::*:role/breakglass/*"], Strings(inline["Resource"]));
        var exempt = inline["Condition"]!["ArnNotLike"]!["aws:PrincipalArn"]!.ToJsonString();
        Assert.Contains("""{"Ref":"BrokerPrincipalArns"}""", exempt, StringComparison.Ordinal);
        var roles = Statement(statements, "OnlyDeployersChangeBreakGlassRoles");
        Assert.Superset(RoleEdits.Except(["iam:PutRolePolicy", "iam:DeleteRolePolicy"]).ToHashSet(), Strings(roles["Action"]).ToHashSet());
        Assert.Equal(["arn:*:iam::*:role/breakglass/*"], Strings(roles["Resource"]));
        var broker = Statement(statements, "OnlyDeployersChangeBecomeOrPassTheBroker");
        Assert.Superset(new[] { "sts:AssumeRole", "iam:PassRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreateAccessKey" }.ToHashSet(),
            Strings(broker["Action"]).ToHashSet());
        Assert.Equal(["""{"Ref":"BrokerRoleArns"}"""], Strings(broker["Resource"]));
        foreach (var statement in new[] { inline, roles, broker })
        {
            Assert.Equal("Deny", (string?)statement["Effect"]);
            Assert.Contains("""{"Ref":"DeployerPrincipalArns"}""", statement["Condition"]!["ArnNotLike"]!["aws:PrincipalArn"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheServiceControlPolicyDeniesListedSourceIdentitiesOnlyWhenSomeAreListed()
    {
        var template = await ReadAsync("breakglass-scp.yaml");
        var statements = template["Resources"]!["BreakGlassProtection"]!["Properties"]!["Content"]!["Statement"]!.AsArray();

        var conditional = statements.Single(statement => statement!["Fn::If"] is JsonArray branches && (string?)branches[0] == "HasDeniedSourceIdentities")!;
        var deny = conditional["Fn::If"]![1]!;
        Assert.Equal(("Deny", "*", "*"), ((string?)deny["Effect"], (string?)deny["Action"], (string?)deny["Resource"]));
        Assert.Equal("""{"Ref":"DeniedSourceIdentities"}""", deny["Condition"]!["StringEquals"]!["aws:SourceIdentity"]!.ToJsonString());
        Assert.Equal("""{"Ref":"AWS::NoValue"}""", conditional["Fn::If"]![2]!.ToJsonString());
        Assert.Equal("", (string?)template["Parameters"]!["DeniedSourceIdentities"]!["Default"]);
    }

    [Fact]
    public async Task AMemberAccountsAgentTrustsOnlyTheBrokerWithTheExternalIdAndMayOnlyMaintainTheDenyAndReadCloudTrail()
    {
        var template = await ReadAsync("breakglass-member.yaml");
        var agent = template["Resources"]!["AgentRole"]!["Properties"]!;

        Assert.Equal("/breakglass/", (string?)agent["Path"]);
        var trust = agent["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Select(statement => statement!.AsObject()).ToArray();
        Assert.All(trust, statement => Assert.Equal("""{"AWS":{"Ref":"BrokerPrincipalArn"}}""", statement["Principal"]!.ToJsonString()));
        var assume = Statement(agent["AssumeRolePolicyDocument"]!["Statement"]!, "BrokerAssumesWithTheExternalId");
        Assert.Equal("sts:AssumeRole", (string?)assume["Action"]);
        Assert.Equal("""{"Ref":"AgentExternalId"}""", assume["Condition"]!["StringEquals"]!["sts:ExternalId"]!.ToJsonString());
        Assert.True((bool)template["Parameters"]!["AgentExternalId"]!["NoEcho"]!);
        var source = Statement(agent["AssumeRolePolicyDocument"]!["Statement"]!, "BrokerSetsItsSourceIdentity");
        Assert.Equal(BreakGlass.Accounts.AgentCredentials.SourceIdentity, (string?)source["Condition"]!["StringEquals"]!["sts:SourceIdentity"]);
        var permissions = agent["Policies"]![0]!["PolicyDocument"]!["Statement"]!;
        var deny = Statement(permissions, "MaintainTheRevocationDeny");
        Assert.Equal(["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:GetRole"], Strings(deny["Action"]));
        Assert.Equal(["""{"Fn::GetAtt":["AdminRole","Arn"]}""", """{"Fn::GetAtt":["ReadOnlyRole","Arn"]}"""], Strings(deny["Resource"]));
        Assert.Equal("cloudtrail:LookupEvents", (string?)Statement(permissions, "CollectEvidenceFromCloudTrail")["Action"]);
        Assert.Equal(2, permissions.AsArray().Count);
    }

    [Fact]
    public async Task AMemberAccountsBreakGlassSessionCannotEditAnyBreakGlassRoleNorBecomeTheAgent()
    {
        var template = await ReadAsync("breakglass-member.yaml");
        var protect = template["Resources"]!["ProtectRevocationsPolicy"]!["Properties"]!["PolicyDocument"]!["Statement"]!;

        var roles = Statement(protect, "DenyEditingTheBreakGlassRoles");
        Assert.Superset(RoleEdits.ToHashSet(), Strings(roles["Action"]).ToHashSet());
        Assert.Equal(["""{"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/breakglass/*"}"""], Strings(roles["Resource"]));
        var agent = Statement(protect, "DenyBecomingOrPassingTheAgent");
        Assert.Equal("Deny", (string?)agent["Effect"]);
        Assert.Equal(["sts:AssumeRole", "iam:PassRole"], Strings(agent["Action"]));
        Assert.Equal(["""{"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/breakglass/${AgentRoleName}"}"""], Strings(agent["Resource"]));
        foreach (var role in new[] { "AdminRole", "ReadOnlyRole" })
        {
            var properties = template["Resources"]![role]!["Properties"]!;
            Assert.Contains("""{"Ref":"ProtectRevocationsPolicy"}""", Strings(properties["ManagedPolicyArns"]));
            Assert.Equal("/breakglass/", (string?)properties["Path"]);
            Assert.Null(properties["Policies"]);
        }
        // StackSet-ready: no resource names an account; each stack instance uses its own.
        Assert.DoesNotMatch(@"\b\d{12}\b", template["Resources"]!.ToJsonString());
    }

    [Fact]
    public async Task TheBrokerMayReadTheTrustOfItsRolesAndReachMemberAccountsOnlyWhenAsked()
    {
        var template = await ReadAsync("breakglass.yaml");
        var statements = template["Resources"]!["BrokerPolicy"]!["Properties"]!["PolicyDocument"]!["Statement"]!;

        Assert.Contains("iam:GetRole", Strings(Statement(statements, "MaintainTheRevocationDeny")["Action"]));
        var members = Statement(statements, "ReachMemberAccounts");
        Assert.Equal(["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], Strings(members["Action"]));
        Assert.Equal(["""{"Ref":"MemberRoleArnPatterns"}"""], Strings(members["Resource"]));
        Assert.Equal("", (string?)template["Parameters"]!["MemberRoleArnPatterns"]!["Default"]);
    }

    [Fact]
    public async Task TheServiceControlPolicyLetsTheAgentsWriteTheDenyAndOnlyTheBrokerBecomeAnAgent()
    {
        var template = await ReadAsync("breakglass-scp.yaml");
        var statements = template["Resources"]!["BreakGlassProtection"]!["Properties"]!["Content"]!["Statement"]!;

        var inline = Statement(statements, "OnlyTheBrokerWritesBreakGlassInlinePolicies");
        Assert.Contains("""{"Ref":"AgentRoleArns"}""", inline["Condition"]!["ArnNotLike"]!["aws:PrincipalArn"]!.ToJsonString(), StringComparison.Ordinal);
        var agents = Statement(statements, "OnlyTheBrokerBecomesAnAgent");
        Assert.Equal("Deny", (string?)agents["Effect"]);
        Assert.Equal(["sts:AssumeRole", "iam:PassRole"], Strings(agents["Action"]));
        Assert.Equal(["""{"Ref":"AgentRoleArns"}"""], Strings(agents["Resource"]));
        var exempt = agents["Condition"]!["ArnNotLike"]!["aws:PrincipalArn"]!.ToJsonString();
        Assert.Contains("""{"Ref":"BrokerPrincipalArns"}""", exempt, StringComparison.Ordinal);
        Assert.DoesNotContain("AgentRoleArns", exempt, StringComparison.Ordinal);
        Assert.Equal("arn:aws:iam::*:role/breakglass/breakglass-agent", (string?)template["Parameters"]!["AgentRoleArns"]!["Default"]);
    }
}
