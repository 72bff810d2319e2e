using BreakGlass.Reviews;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BreakGlass.Web.Pages;

/// <summary>The reviewers' queue (the same <see cref="ReviewQueue"/> as <c>GET /api/reviews</c>): overdue first, then pending.</summary>
internal sealed class ReviewsModel(ReviewQueue queue) : PageModel
{
    private const int Shown = 100;

    public IReadOnlyList<ReviewItem> Queue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var overdue = await queue.ListAsync(ReviewQueueStatus.Overdue, Shown, cancellationToken);
        var pending = await queue.ListAsync(ReviewQueueStatus.Pending, Shown, cancellationToken);
        Queue = [.. overdue, .. pending];
    }
}
