using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Reviews;

internal sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>Hours after a grant becomes reviewable (evidence complete, or its final pass overdue) before the review is overdue.</summary>
    [Range(1, 24 * 30)] public int DueAfterHours { get; set; } = 24;

    /// <summary>When the final collection pass is this late, the grant is reviewable on its partial evidence.</summary>
    [Range(1, 24 * 60)] public int FinalPassGraceMinutes { get; set; } = 30;

    /// <summary>Hangfire cron (UTC) of the daily reminder of pending and overdue reviews.</summary>
    [Required] public string ReminderCron { get; set; } = "0 8 * * *";

    /// <summary>Deprecated (use <c>Notifications:Webhooks</c> and <c>review.overdue</c>): the reminder is also POSTed here, unsigned.</summary>
    public Uri? WebhookUrl { get; set; }
}
