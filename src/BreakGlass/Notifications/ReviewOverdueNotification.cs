using System.Globalization;
using BreakGlass.Reviews;

namespace BreakGlass.Notifications;

/// <summary>The daily reminder of overdue reviews: one notification a day, however often the reminder runs.</summary>
internal static class ReviewOverdueNotification
{
    public static NotificationDraft Draft(DateOnly day, int pendingCount, IReadOnlyList<ReviewItem> overdue)
    {
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new(NotificationTypes.ReviewOverdue, $"{NotificationTypes.ReviewOverdue}:{dayText}", NotificationSeverity.Warning,
            $"{overdue.Count} break-glass review(s) overdue",
            $"{overdue.Count} break-glass grant(s) are past their review deadline without a sign-off, and {pendingCount} more wait for review. Reviewers: see /reviews.",
            null,
            new Dictionary<string, object?>
            {
                ["day"] = dayText,
                ["overdueCount"] = overdue.Count,
                ["pendingCount"] = pendingCount,
                ["overdue"] = overdue.Select(item => new Dictionary<string, object?>
                {
                    ["grantId"] = item.Grant.Id,
                    ["requester"] = item.Grant.RequesterName,
                    ["role"] = item.Grant.Role,
                    ["dueAt"] = item.DueAt,
                }).ToList(),
            });
    }
}
