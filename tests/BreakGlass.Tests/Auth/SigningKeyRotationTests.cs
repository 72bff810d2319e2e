using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.DevIssuer;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Auth;

/// <summary>A service whose identity is the email (Auth:UserClaim=email), so verification of that email matters.</summary>
public sealed class EmailIdentityFixture : BreakGlassFixture
{
    public EmailIdentityFixture() => Overrides["Auth__UserClaim"] = "email";
}

/// <summary>Key rotation through Auth:SigningKeysFile, and email as identity; both need a service of their own.</summary>
public sealed class SigningKeyRotationTests(EmailIdentityFixture fixture) : IClassFixture<EmailIdentityFixture>
{
    [Fact]
    public async Task ARotatedKeyFileIsUsedWithoutARestart()
    {
        var original = await File.ReadAllTextAsync(fixture.Idp.JwksFile);
        var next = DevTokenIssuer.Create(Path.Combine(Path.GetTempPath(), "breakglass-idp-next-" + Guid.NewGuid().ToString("N")));
        var nextKeys = await File.ReadAllTextAsync(Path.Combine(next.Directory, DevTokenIssuer.PublicKeysFileName));
        var oldToken = fixture.Idp.Requester(TestIdentityProvider.NewUser());
        var newToken = next.Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, TestIdentityProvider.NewUser(),
            [TestIdentityProvider.RequesterGroup], TimeSpan.FromMinutes(10));
        try
        {
            Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(oldToken));
            Assert.Equal(HttpStatusCode.Unauthorized, await RolesStatusAsync(newToken));

            await ReplaceKeysFileAsync(Merge(original, nextKeys));
            Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(newToken));
            Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(oldToken));

            await ReplaceKeysFileAsync(nextKeys);
            Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(newToken));
            Assert.Equal(HttpStatusCode.Unauthorized, await RolesStatusAsync(oldToken));

            // A botched edit keeps the keys in force instead of locking everyone out.
            await ReplaceKeysFileAsync("{\"keys\":");
            Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(newToken));
            Assert.Equal(HttpStatusCode.Unauthorized, await RolesStatusAsync(oldToken));
        }
        finally
        {
            await ReplaceKeysFileAsync(original);
        }
        Assert.Equal(HttpStatusCode.OK, await RolesStatusAsync(oldToken));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData("false")]
    [InlineData("yes")]
    public async Task AnUnverifiedEmailIsNoIdentity(object? verified)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "someone-" + Guid.NewGuid().ToString("N"),
            ["email"] = TestIdentityProvider.NewUser(),
            ["groups"] = new[] { TestIdentityProvider.RequesterGroup },
        };
        if (verified is not null) claims["email_verified"] = verified;

        Assert.Equal(HttpStatusCode.Unauthorized, await RolesStatusAsync(fixture.Idp.TokenWithClaims(claims)));
    }

    [Fact]
    public async Task AVerifiedEmailIsTheIdentityWhenConfiguredSo()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.TokenWithClaims(new Dictionary<string, object>
        {
            ["sub"] = "someone-" + Guid.NewGuid().ToString("N"),
            ["email"] = engineer.ToUpperInvariant(),
            ["email_verified"] = true,
            ["groups"] = new[] { TestIdentityProvider.RequesterGroup },
        }));

        var response = await client.PostAsync("/api/grants", System.Net.Http.Json.JsonContent.Create(
            new { role = BreakGlassFixture.AdminRole, durationMinutes = 30, reason = "Production database is down, restoring service" }));

        var grant = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(engineer, (string?)grant["requester"]);
    }

    private async Task<HttpStatusCode> RolesStatusAsync(string token)
    {
        using var client = fixture.Client(token);
        return (await client.GetAsync("/api/roles")).StatusCode;
    }

    // As an operator would: write beside the file, then rename over it, so no reader sees half a file.
    private async Task ReplaceKeysFileAsync(string contents)
    {
        var staging = fixture.Idp.JwksFile + ".next";
        await File.WriteAllTextAsync(staging, contents);
        File.Move(staging, fixture.Idp.JwksFile, overwrite: true);
    }

    private static string Merge(string first, string second)
    {
        var keys = new JsonArray();
        foreach (var document in new[] { first, second })
        {
            foreach (var key in JsonNode.Parse(document)!["keys"]!.AsArray()) keys.Add(key!.DeepClone());
        }
        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }
}
