using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Notifications;

public sealed class NotificationRestartTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task ABacklogSurvivesAKillAndTwoRestartedInstancesDeliverEachNotificationOnce()
    {
        fixture.ReceiverA.Failing = true;
        var ids = new List<string>();
        for (var grant = 0; grant < 4; grant++)
        {
            using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
            var created = await (await client.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);
            ids.Add((string)created["id"]!);
        }
        foreach (var id in ids)
        {
            Assert.True(await Eventually.TrueAsync(async () =>
                await fixture.CountAsync(id, "channel LIKE 'webhook:%' AND type = 'grant.issued' AND status = 'pending' AND last_error LIKE 'HTTP 503%'") >= 1,
                Eventually.Patience), $"grant {id}'s notification waits in the backlog");
        }

        fixture.Service.Kill();
        fixture.ReceiverA.Failing = false;
        await fixture.StartInstanceAsync();
        await fixture.StartInstanceAsync();

        foreach (var id in ids)
        {
            Assert.True(await Eventually.TrueAsync(() => fixture.ReceiverA.For(id).Count >= 1, Eventually.Patience), $"grant {id} reached receiver A after the restart");
            Assert.True(await Eventually.TrueAsync(() => fixture.SettledAsync(id), Eventually.Patience));
        }
        Assert.All(ids, id => Assert.Single(fixture.ReceiverA.For(id)));
        Assert.All(ids, id => Assert.Single(fixture.Slack.Posted, message => message.ToJsonString().Contains($"/grants/{id}", StringComparison.Ordinal)));
    }
}
