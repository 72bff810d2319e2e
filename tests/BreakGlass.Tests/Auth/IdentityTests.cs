using System.Net;
using System.Net.Http.Json;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Auth;

/// <summary>Ownership and roles key on what the IdP vouches for and BreakGlass derives, never on what a token merely says.</summary>
public sealed class IdentityTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task AnotherEngineersEmailWithYourOwnSubjectGivesNoPowerOverTheirGrant()
    {
        var victim = TestIdentityProvider.NewUser("victim");
        using var owner = fixture.Client(fixture.Idp.Requester(victim));
        var grant = await (await owner.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)grant["id"]!;
        using var impostor = fixture.Client(fixture.Idp.TokenWithClaims(new Dictionary<string, object>
        {
            ["sub"] = "impostor-" + Guid.NewGuid().ToString("N"),
            ["email"] = victim,
            ["email_verified"] = true,
            ["groups"] = new[] { TestIdentityProvider.RequesterGroup },
        }));

        Assert.Equal(HttpStatusCode.NotFound, (await impostor.GetAsync($"/api/grants/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await impostor.PostAsync($"/api/grants/{id}/credentials", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await impostor.RevokeAsync(id)).StatusCode);
        var listed = await (await impostor.GetAsync("/api/grants")).Content.ReadFromJsonAsync<GrantIdOnly[]>();
        Assert.DoesNotContain(listed!, visible => visible.Id == id);
        var after = await owner.GetGrantAsync(id);
        Assert.Equal("Active", after.Status);
        Assert.Single(after.AccessKeyIds);
    }

    [Fact]
    public async Task TheGrantKeepsTheStableIdAsRequesterAndTheEmailOnlyAsItsName()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));

        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);

        Assert.Equal(TestIdentityProvider.SubjectOf(engineer), (string?)grant["requester"]);
        Assert.NotEqual(engineer, (string?)grant["requester"]);
        Assert.Equal(engineer, (string?)grant["requesterName"]);
    }

    [Fact]
    public async Task RoleAndIdentityClaimsInTheTokenGrantNothing()
    {
        var victim = TestIdentityProvider.NewUser("victim");
        using var owner = fixture.Client(fixture.Idp.Requester(victim));
        var id = (string)(await (await owner.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created))["id"]!;
        string[] everything = ["requester", "reviewer", "auditor"];
        using var forger = fixture.Client(fixture.Idp.TokenWithClaims(new Dictionary<string, object>
        {
            ["sub"] = "forger-" + Guid.NewGuid().ToString("N"),
            ["email"] = "forger@example.com",
            ["email_verified"] = true,
            ["groups"] = new[] { TestIdentityProvider.RequesterGroup },
            ["breakglass:role"] = everything,
            ["breakglass:user"] = TestIdentityProvider.SubjectOf(victim),
            ["role"] = everything,
            ["roles"] = everything,
            ["http://schemas.microsoft.com/ws/2008/06/identity/claims/role"] = everything,
        }));

        Assert.Equal(HttpStatusCode.Forbidden, (await forger.GetAsync("/api/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await forger.GetAsync("/api/audit/grants")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await forger.GetAsync($"/api/grants/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await forger.GetAsync("/api/roles")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two\u0000parts")]
    public async Task AnUnusableSubjectIsRefused(string subject)
    {
        using var client = fixture.Client(fixture.Idp.TokenWithClaims(new Dictionary<string, object>
        {
            ["sub"] = subject, ["email"] = "someone@example.com", ["email_verified"] = true, ["groups"] = new[] { TestIdentityProvider.RequesterGroup },
        }));

        var response = await client.GetAsync("/api/roles");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed record GrantIdOnly(string Id);
}
