using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.WrittenPolicy;
using Markdig;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BreakGlass.Web.Pages;

/// <summary>The break-glass policy in force (the same document as <c>GET /api/policy</c>), with Approve for reviewers.</summary>
internal sealed class PolicyModel(PolicyVersions versions) : PageModel
{
    // Raw HTML in the Markdown is shown as text, never passed through: the page's only markup is what Markdig builds.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public PolicyVersionRecord Record { get; private set; } = null!;
    public string Html { get; private set; } = "";
    public string? Error { get; private set; }

    /// <summary>A reviewer may approve a pending version (the service refuses its changer, with the reason shown).</summary>
    public bool MayApprove => User.HasAppRole(AppRoles.Reviewer) && Record.ApprovedAt is null;

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostApproveAsync(string? version, CancellationToken cancellationToken)
    {
        if (!User.HasAppRole(AppRoles.Reviewer)) return Forbid(WebSignIn.CookieScheme);
        try
        {
            await versions.ApproveAsync(User, version ?? "", cancellationToken);
            return RedirectToPage();
        }
        catch (DomainException refused)
        {
            Error = refused.Message;
            Response.StatusCode = refused.StatusCode;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (policy, record) = await versions.RecordCurrentAsync(cancellationToken);
        Record = record;
        Html = Markdown.ToHtml(policy.Markdown, Pipeline);
    }
}
