using System.Text.Json.Nodes;
using BreakGlass.Cli;
using BreakGlass.Cli.Credentials;
using BreakGlass.Cli.Service;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Cli;

/// <summary>When <c>breakglass credentials</c> serves its cache, mints fresh credentials, or refuses: decided by the injected clock.</summary>
public sealed class CredentialRenewalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CachedCredentialsAreServedUntilFiveMinutesBeforeTheyExpire()
    {
        var time = new FakeTimeProvider(Now);
        var grant = Grant(expiresAt: Now.AddHours(4));
        var cached = Cached(grant, expiration: Now.AddHours(1));

        var early = CredentialRenewal.Decide(grant, cached, time);
        time.SetUtcNow(Now.AddMinutes(55) - TimeSpan.FromSeconds(1));
        var justBefore = CredentialRenewal.Decide(grant, cached, time);
        time.SetUtcNow(Now.AddMinutes(55));
        var atFiveMinutes = CredentialRenewal.Decide(grant, cached, time);

        Assert.Equal(CredentialAction.UseCached, early);
        Assert.Equal(CredentialAction.UseCached, justBefore);
        Assert.Equal(CredentialAction.MintFresh, atFiveMinutes);
    }

    [Fact]
    public void AnOpenGrantWithoutUsableCacheGetsFreshCredentials()
    {
        var time = new FakeTimeProvider(Now);
        var grant = Grant(expiresAt: Now.AddHours(1));

        Assert.Equal(CredentialAction.MintFresh, CredentialRenewal.Decide(grant, null, time));
        Assert.Equal(CredentialAction.MintFresh, CredentialRenewal.Decide(grant, Cached(Grant(expiresAt: Now.AddHours(1)), Now.AddHours(1)), time));
        Assert.Equal(CredentialAction.MintFresh, CredentialRenewal.Decide(grant, Cached(grant, Now.AddHours(1)) with { Credentials = null }, time));
    }

    [Fact]
    public void AGrantThatEndedGivesNoCredentialsEvenWhileStsWouldHonourThem()
    {
        var time = new FakeTimeProvider(Now);
        var revoked = Grant(expiresAt: Now.AddHours(1)) with { Status = "Revoked" };
        var windowOver = Grant(expiresAt: Now);

        Assert.Equal(CredentialAction.GrantEnded, CredentialRenewal.Decide(revoked, Cached(revoked, Now.AddHours(1)), time));
        Assert.Equal(CredentialAction.GrantEnded, CredentialRenewal.Decide(windowOver, Cached(windowOver, Now.AddMinutes(30)), time));
    }

    [Fact]
    public async Task WhileTheServiceIsDownCachedCredentialsOfAnOpenWindowAreStillServed()
    {
        using var engineer = new EngineerWorkstation(new Uri("http://127.0.0.1:1"), token: "any");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var service = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var cli = new InProcessCli(engineer.Variables, time);
        var host = new CliHost(name => engineer.Variables.GetValueOrDefault(name), time, TextWriter.Null, TextWriter.Null, interactive: false);
        var grant = Grant(expiresAt: time.GetUtcNow().AddHours(2)) with { Role = "prod-admin" };
        new CredentialCache(host, service).Save(grant, new AwsCredentials("ASIACACHED", "secret", "token", time.GetUtcNow().AddHours(1)));

        var served = await cli.RunAsync("credentials", "--role", "prod-admin", "--url", service.ToString());
        time.Advance(TimeSpan.FromMinutes(56));
        var tooOld = await cli.RunAsync("credentials", "--role", "prod-admin", "--url", service.ToString());

        Assert.True(served.ExitCode == 0, served.ToString());
        Assert.Equal("ASIACACHED", (string)JsonNode.Parse(served.Stdout)!["AccessKeyId"]!);
        Assert.Contains("cannot be reached", served.Stderr);
        Assert.Equal((int)ExitCode.ServiceUnavailable, tooOld.ExitCode);
    }

    private static GrantView Grant(DateTimeOffset expiresAt) =>
        new(Guid.NewGuid(), "Active", "dev-1", "alice@example.com", "prod-admin", "arn:aws:iam::123456789012:role/prod-admin", "the reason",
            expiresAt.AddHours(-4), expiresAt, null, null, null, null, ["ASIA1"], null, null);

    private static CachedCredentials Cached(GrantView grant, DateTimeOffset expiration) =>
        new(grant.Id, grant.Role, grant.ExpiresAt, new AwsCredentials("ASIA1", "secret", "token", expiration));
}
