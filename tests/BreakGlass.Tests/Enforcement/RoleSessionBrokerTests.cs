using System.Net;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Enforcement;

public sealed class RoleSessionBrokerTests(RoleSessionBrokerFixture fixture) : IClassFixture<RoleSessionBrokerFixture>
{
    [Fact]
    public async Task ARoleSessionAskingForMoreThanAnHourIsRefusedWithAwsError()
    {
        using var sts = fixture.StsThroughFront(fixture.BrokerSession);
        var request = new AssumeRoleRequest { RoleArn = fixture.Aws.RoleArns[0], RoleSessionName = "chained", DurationSeconds = 3601 };

        var refused = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(request));

        Assert.Equal("ValidationError", refused.ErrorCode);
        Assert.Equal("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", refused.Message);
        request.DurationSeconds = 3600;
        Assert.NotNull((await sts.AssumeRoleAsync(request)).Credentials.AccessKeyId);
    }

    [Fact]
    public async Task AUserAskingForMoreThanTheRoleAllowsIsRefusedWithAwsError()
    {
        using var sts = fixture.StsThroughFront(new Amazon.Runtime.BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey));
        var request = new AssumeRoleRequest
        {
            RoleArn = fixture.Aws.RoleArns[0], RoleSessionName = "direct", DurationSeconds = RoleSessionBrokerFixture.RoleMaxSessionSeconds + 1,
        };

        var refused = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(request));

        Assert.Equal("ValidationError", refused.ErrorCode);
        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", refused.Message);
        request.DurationSeconds = RoleSessionBrokerFixture.RoleMaxSessionSeconds;
        Assert.NotNull((await sts.AssumeRoleAsync(request)).Credentials.AccessKeyId);
    }

    [Fact]
    public async Task AFourHourGrantThroughARoleSessionBrokerIsServedByHourLongCredentials()
    {
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var grant = await (await client.BreakGlassAsync(role, minutes: 240)).ReadObjectAsync(HttpStatusCode.Created);

        var requestedAt = DateTimeOffset.Parse((string)grant["requestedAt"]!);
        Assert.Equal(requestedAt.AddHours(4), DateTimeOffset.Parse((string)grant["expiresAt"]!));
        var firstExpiry = DateTimeOffset.Parse((string)grant["credentials"]!["expiration"]!);
        // An hour, not the four-hour window; the slack above it is the time from the request to the mint, which load stretches.
        Assert.InRange((firstExpiry - requestedAt).TotalSeconds, 3000, 3600 + 600);
        using var first = new EngineerSession(fixture.AwsEndpoint, grant["credentials"]!);
        Assert.True(await first.IsHonouredAsync());

        var id = (string)grant["id"]!;
        var reissued = await (await client.PostAsync($"/api/grants/{id}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Equal((string?)grant["expiresAt"], (string?)reissued["expiresAt"]);
        var secondExpiry = DateTimeOffset.Parse((string)reissued["credentials"]!["expiration"]!);
        Assert.True(secondExpiry >= firstExpiry);
        Assert.InRange((secondExpiry - DateTimeOffset.UtcNow).TotalSeconds, 3000, 3600 + 60);
        using var second = new EngineerSession(fixture.AwsEndpoint, reissued["credentials"]!);
        Assert.True(await second.IsHonouredAsync());
        Assert.True(await first.IsHonouredAsync());
    }

    [Fact]
    public async Task ReissuedCredentialsWorkUntilTheWindowEndsAndAreRefusedAfter()
    {
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var grant = await (await client.BreakGlassAsync(role, minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)grant["id"]!;
        var reissued = await (await client.PostAsync($"/api/grants/{id}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);
        using var first = new EngineerSession(fixture.AwsEndpoint, grant["credentials"]!);
        using var second = new EngineerSession(fixture.AwsEndpoint, reissued["credentials"]!);
        Assert.True(await second.IsHonouredAsync());

        var revoked = await client.WaitForStatusAsync(id, "Revoked", Eventually.Patience);

        Assert.Equal("Revoked", revoked.Status);
        Assert.False(await first.IsHonouredAsync());
        Assert.False(await second.IsHonouredAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/grants/{id}/credentials", null)).StatusCode);
    }
}
