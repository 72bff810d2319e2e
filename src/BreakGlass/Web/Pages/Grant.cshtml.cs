using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Reports;
using BreakGlass.Reviews;
using BreakGlass.Web.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BreakGlass.Web.Pages;

/// <summary>
/// One grant's story for its reviewer (and auditor): the timeline, what was said beside what was done, the risky
/// actions first, every raw event, the activity chart, and Sign off / Flag bound to the evidence hash shown here.
/// </summary>
internal sealed class GrantModel(GrantChains chains, ReviewDecisions decisions) : PageModel
{
    public GrantChain Chain { get; private set; } = null!;
    public EvidenceReport Report { get; private set; } = null!;
    public Timeline Timeline { get; private set; } = null!;
    public ActivityChart Activity { get; private set; } = null!;
    public IReadOnlyList<EvidenceEvent> Shown { get; private set; } = [];
    public IReadOnlyList<string> Services { get; private set; } = [];
    public string? Severity { get; private set; }
    public string? Service { get; private set; }
    public string? Error { get; private set; }

    public bool IsOwnGrant => Chain.Grant.Requester == User.UserName();

    private bool IsReviewer => User.HasAppRole(AppRoles.Reviewer) && !IsOwnGrant;

    /// <summary>A reviewer may sign off or flag a grant nobody decided yet, unless it is their own (the service checks again).</summary>
    public bool MayDecide => IsReviewer && Chain.Review is null
                             && Chain.Grant.Status is nameof(GrantStatus.AwaitingReview) or nameof(GrantStatus.CollectingEvidence);

    /// <summary>An approval can still be corrected by a flag (never the other way round); the history keeps both.</summary>
    public bool MayFlagApproval => IsReviewer && Chain.Review?.Decision == ReviewDecisions.Approved;

    public Task OnGetAsync(Guid id, string? severity, string? service, CancellationToken cancellationToken) =>
        LoadAsync(id, severity, service, cancellationToken);

    public async Task<IActionResult> OnPostDecideAsync(Guid id, string? decision, string? notes, string? evidenceSha256, CancellationToken cancellationToken)
    {
        if (!User.HasAppRole(AppRoles.Reviewer)) return Forbid(WebSignIn.CookieScheme);
        try
        {
            if (TextInput.HasNul(notes)) throw new InvalidRequestException(TextInput.NulRefused);
            await decisions.DecideAsync(User, id, new DecisionRequest(decision, notes, evidenceSha256), cancellationToken);
            return RedirectToPage(new { id });
        }
        catch (DomainException refused) when (refused is not NotFoundException)
        {
            Error = refused.Message;
            Response.StatusCode = refused.StatusCode;
        }
        await LoadAsync(id, null, null, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(Guid id, string? severity, string? service, CancellationToken cancellationToken)
    {
        (Chain, Report) = await chains.LoadAsync(id, cancellationToken);
        Timeline = Timeline.Of(Chain);
        Activity = ActivityChart.Of(Report.Events, Chain.Grant.RequestedAt, Chain.Grant.EndedAt ?? Chain.Grant.ExpiresAt);
        Services = Report.Summary.ByService.Keys.ToList();
        Severity = EvidenceSeverity.Ordered.Contains(severity) ? severity : null;
        Service = service is not null && Services.Contains(service) ? service : null;
        Shown = Report.Events.Where(e => (Severity is null || e.Severity == Severity) && (Service is null || e.EventSource == Service)).ToList();
    }
}
