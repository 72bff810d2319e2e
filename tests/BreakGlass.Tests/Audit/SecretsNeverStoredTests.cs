using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Audit;

public sealed class SecretsNeverStoredTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task NeitherTheDatabaseNorTheLogsContainASecretKeyOrSessionToken()
    {
        var secrets = new List<string>();
        var accessKeyIds = new List<string>();
        for (var index = 0; index < 3; index++)
        {
            using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
            var key = Guid.NewGuid().ToString();
            var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);
            var retried = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);
            var reissued = await (await client.PostAsync($"/api/grants/{created["id"]}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);
            foreach (var credentials in new[] { created["credentials"]!, retried["credentials"]!, reissued["credentials"]! })
            {
                secrets.Add((string)credentials["secretAccessKey"]!);
                secrets.Add((string)credentials["sessionToken"]!);
                accessKeyIds.Add((string)credentials["accessKeyId"]!);
            }
            await (await client.RevokeAsync((string)created["id"]!)).ReadObjectAsync(HttpStatusCode.OK);
        }

        var owner = new Npgsql.NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        var dump = await ChildProcess.RunAsync("pg_dump", ["-h", owner.Host!, "-p", owner.Port.ToString(), "-U", owner.Username!, "--data-only", owner.Database!],
            new Dictionary<string, string> { ["PGPASSWORD"] = owner.Password! });
        var logs = string.Join('\n', fixture.Log);

        // The scan must be able to see what it looks for: the public AccessKeyIds are stored (CloudTrail needs them).
        Assert.All(accessKeyIds, accessKeyId => Assert.Contains(accessKeyId, dump));
        Assert.Contains(accessKeyIds[0], logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, dump);
            Assert.DoesNotContain(secret, logs);
            // Session tokens are long: a fragment must not leak either (e.g. a truncated log line).
            Assert.DoesNotContain(secret[..Math.Min(secret.Length, 24)], dump + logs);
        }
        Assert.DoesNotContain(fixture.Aws.BrokerSecretAccessKey, dump + logs);
    }
}
