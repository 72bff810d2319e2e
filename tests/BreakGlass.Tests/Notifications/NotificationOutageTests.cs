using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Notifications;

public sealed class NotificationOutageTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task WhileTheReceiverIsDownGlassStillBreaksAndOnceItIsBackEachNotificationArrivesOnce()
    {
        await fixture.ReceiverA.GoDownAsync();
        var ids = new List<string>();
        for (var grant = 0; grant < 3; grant++)
        {
            using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
            var created = await (await client.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);
            ids.Add((string)created["id"]!);
        }
        // Tried and refused, still queued: the outage is seen, nothing is dropped.
        foreach (var id in ids)
        {
            Assert.True(await Eventually.TrueAsync(async () =>
                await fixture.CountAsync(id, $"channel LIKE 'webhook:%' AND type = 'grant.issued' AND status = 'pending' AND attempts >= 1 AND last_error IS NOT NULL") >= 1,
                Eventually.Patience), $"grant {id}'s notification was attempted during the outage");
        }

        await fixture.ReceiverA.ComeBackAsync();

        foreach (var id in ids)
        {
            Assert.True(await Eventually.TrueAsync(() => fixture.ReceiverA.For(id).Count == 1, Eventually.Patience), $"grant {id} reached receiver A");
            Assert.True(await Eventually.TrueAsync(() => fixture.SettledAsync(id), Eventually.Patience));
        }
        Assert.All(ids, id => Assert.Single(fixture.ReceiverA.For(id)));
        Assert.Equal(0, fixture.ReceiverA.Refused);
    }
}
