using System.Net;
using BreakGlass.Aws.Iam;
using BreakGlass.Revocation;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Revocation;

public sealed class ConcurrentRevocationTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task ConcurrentRevocationsOnOneRoleNeverLoseAnId()
    {
        var role = fixture.TakeDedicatedRole();
        var grants = new List<(HttpClient Client, string Id)>();
        for (var index = 0; index < 12; index++)
        {
            var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
            var created = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
            grants.Add((client, (string)created["id"]!));
        }

        var responses = await Task.WhenAll(grants.Select(grant => grant.Client.RevokeAsync(grant.Id)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var iam = MotoIam.Client(MotoIam.Environment(fixture.Moto,
            new Amazon.Runtime.BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey)));
        var document = await iam.GetRolePolicyAsync(RoleArn.RoleName(fixture.RoleArnOf(role)), DenyPolicy.PolicyName);
        var denied = DenyPolicy.Parse(document!).GrantIds;
        Assert.Equal(grants.Select(grant => Guid.Parse(grant.Id)).Order(), denied.Order());
        foreach (var grant in grants) grant.Client.Dispose();
    }
}
