using System.Globalization;
using System.Net.Http.Json;
using BreakGlass.Notifications;
using BreakGlass.Tickets;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Reviews;

/// <summary>Daily: says how many reviews wait and which are overdue — in the log, on each overdue grant's ticket, as a <c>review.overdue</c> notification, and to the deprecated <c>Review:WebhookUrl</c>.</summary>
internal sealed class ReviewReminderJob(
    ReviewQueue queue,
    NpgsqlDataSource database,
    TicketOutbox tickets,
    NotificationOutbox notifications,
    IHttpClientFactory http,
    IOptionsMonitor<ReviewOptions> options,
    TimeProvider time,
    ILogger<ReviewReminderJob> logger)
{
    public const string RecurringJobId = "review-reminder";

    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public async Task RunAsync()
    {
        var pending = await queue.ListAsync(ReviewQueueStatus.Pending, 500, CancellationToken.None);
        var overdue = await queue.ListAsync(ReviewQueueStatus.Overdue, 500, CancellationToken.None);
        if (pending.Count + overdue.Count == 0) return;
        var today = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        ReviewsLog.ReviewsWaiting(logger, pending.Count, overdue.Count, string.Join(", ", overdue.Select(item => item.Grant.Id)));
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var item in overdue)
            {
                // One reminder per grant per day, however often the job re-runs.
                await tickets.EnqueueCommentAsync(connection, transaction, item.Grant.Id, $"review-overdue:{today}",
                    $"**Review overdue** since {item.DueAt:yyyy-MM-dd HH:mm} UTC: this break-glass grant still has no post-incident sign-off.");
            }
            if (overdue.Count > 0)
            {
                await notifications.EnqueueAsync(connection, transaction,
                    ReviewOverdueNotification.Draft(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), pending.Count, overdue), time.GetUtcNow());
            }
            await transaction.CommitAsync();
        }
        if (options.CurrentValue.WebhookUrl is { } webhook)
        {
            var response = await http.CreateClient(nameof(ReviewReminderJob)).PostAsJsonAsync(webhook, new
            {
                text = $"BreakGlass: {pending.Count} review(s) pending, {overdue.Count} overdue.",
                pending = pending.Select(item => item.Grant.Id),
                overdue = overdue.Select(item => new { item.Grant.Id, item.Grant.Requester, item.Grant.Role, item.DueAt }),
            });
            response.EnsureSuccessStatusCode();
        }
    }
}
