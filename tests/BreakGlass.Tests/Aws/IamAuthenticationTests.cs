using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Aws.Iam;
using BreakGlass.Revocation;

namespace BreakGlass.Tests.Aws;

public sealed class IamAuthenticationTests(EnforcingMoto fixture) : IClassFixture<EnforcingMoto>
{
    private readonly IamClient _broker = MotoIam.Client(MotoIam.Environment(fixture.Moto, fixture.BrokerCredentials));

    [Fact]
    public async Task ARequestSignedWithUnknownKeysIsRefusedAsAnInvalidClientToken()
    {
        var stranger = MotoIam.Client(MotoIam.Environment(fixture.Moto, new BasicAWSCredentials("AKIAUNKNOWNEXAMPLE00", "unknown-secret")));

        var error = await Assert.ThrowsAsync<IamException>(() => stranger.GetRolePolicyAsync("any", DenyPolicy.PolicyName));

        Assert.Equal("InvalidClientTokenId", error.Code);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task AKnownKeyWithTheWrongSecretFailsTheSignatureCheck()
    {
        var impostor = MotoIam.Client(MotoIam.Environment(
            fixture.Moto, new BasicAWSCredentials(fixture.BrokerCredentials.GetCredentials().AccessKey, "not-the-secret")));

        var error = await Assert.ThrowsAsync<IamException>(() => impostor.GetRolePolicyAsync("any", DenyPolicy.PolicyName));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task TheBrokersSignedCallsAreAccepted()
    {
        var role = await MotoIam.CreateRoleAsync(MotoIam.Environment(fixture.Moto, fixture.BrokerCredentials), fixture.BrokerArn);
        var document = DenyPolicy.Build([new(Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1))], TimeProvider.System).ToJson();

        await _broker.PutRolePolicyAsync(role, DenyPolicy.PolicyName, document);
        Assert.Equal(document, await _broker.GetRolePolicyAsync(role, DenyPolicy.PolicyName));
        await _broker.DeleteRolePolicyAsync(role, DenyPolicy.PolicyName);
        Assert.Null(await _broker.GetRolePolicyAsync(role, DenyPolicy.PolicyName));
    }

    [Fact]
    public async Task TheDenyPolicyOnARoleRefusesItsAssumedSessionsUntilItIsDeleted()
    {
        var role = await MotoIam.CreateRoleAsync(MotoIam.Environment(fixture.Moto, fixture.BrokerCredentials), fixture.BrokerArn);
        await _broker.PutRolePolicyAsync(role, "AllowEverything", MotoIam.AllowEverything);
        var grantId = Guid.NewGuid();
        var session = await AssumeRoleAsync(role, grantId);
        var engineer = MotoIam.Client(MotoIam.Environment(
            fixture.Moto, new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken)));
        Assert.NotNull(await engineer.GetRolePolicyAsync(role, "AllowEverything"));

        var deny = DenyPolicy.Build([new(grantId, session.Expiration!.Value)], TimeProvider.System);
        await _broker.PutRolePolicyAsync(role, DenyPolicy.PolicyName, deny.ToJson());

        var refused = await Assert.ThrowsAsync<IamException>(() => engineer.GetRolePolicyAsync(role, "AllowEverything"));
        Assert.Equal("AccessDenied", refused.Code);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("iam:GetRolePolicy", refused.ServiceMessage);
        Assert.False(refused.IsTransient);

        await _broker.DeleteRolePolicyAsync(role, DenyPolicy.PolicyName);
        Assert.NotNull(await engineer.GetRolePolicyAsync(role, "AllowEverything"));
    }

    private async Task<Amazon.SecurityToken.Model.Credentials> AssumeRoleAsync(string roleName, Guid grantId)
    {
        using var sts = new AmazonSecurityTokenServiceClient(
            fixture.BrokerCredentials,
            new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.Moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{MotoIam.AccountId}:role/breakglass/{roleName}",
            RoleSessionName = $"bg-test-{grantId.ToString()[..8]}",
            Tags = [new Tag { Key = DenyPolicy.GrantTagKey, Value = DenyPolicy.GrantTagValue(grantId) }],
            DurationSeconds = 900,
        });
        return response.Credentials;
    }
}
