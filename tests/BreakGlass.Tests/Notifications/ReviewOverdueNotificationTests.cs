using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Notifications;
using BreakGlass.Reviews;

namespace BreakGlass.Tests.Notifications;

public sealed class ReviewOverdueNotificationTests
{
    [Fact]
    public void OneNotificationADayListsEachOverdueGrant()
    {
        var due = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var overdue = new[] { Item("alice@example.com", "prod-admin", due), Item("bob@example.com", "prod-billing", due.AddHours(2)) };

        var draft = ReviewOverdueNotification.Draft(new DateOnly(2026, 12, 2), pendingCount: 3, overdue);
        var again = ReviewOverdueNotification.Draft(new DateOnly(2026, 12, 2), pendingCount: 3, overdue[..1]);

        Assert.Equal(NotificationTypes.ReviewOverdue, draft.Type);
        Assert.Equal("review.overdue:2026-12-02", draft.DedupeKey);
        Assert.Equal(draft.DedupeKey, again.DedupeKey);
        Assert.Equal("2 break-glass review(s) overdue", draft.Title);
        Assert.Equal(3, draft.Data["pendingCount"]);
        var listed = Assert.IsAssignableFrom<IEnumerable<Dictionary<string, object?>>>(draft.Data["overdue"]).ToList();
        Assert.Equal(["alice@example.com", "bob@example.com"], listed.Select(entry => entry["requester"]));
        Assert.Equal(overdue[0].Grant.Id, listed[0]["grantId"]);
    }

    private static ReviewItem Item(string requester, string role, DateTimeOffset dueAt) =>
        new(new GrantResponse(Guid.CreateVersion7(), "Revoked", "sub", requester, role, $"arn:aws:iam::123456789012:role/{role}", "reason",
                dueAt.AddDays(-2), dueAt.AddDays(-2).AddHours(1), null, null, null, null, [], null, null),
            dueAt.AddDays(-1), dueAt, true, EvidenceCompleteness.Complete, new string('a', 64), EvidenceSummaries.Of([]), null, []);
}
