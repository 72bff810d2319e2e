using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BreakGlass.Web.Pages;

/// <summary>The engineer's page: the roles they may use, the break-glass form, their grants with the time left and End now.</summary>
internal sealed class IndexModel(Eligibility eligibility, GrantViews views, GrantEnding ending, TimeProvider time) : PageModel
{
    private const int ShownGrants = 20;

    public BreakGlassForm? Form { get; private set; }
    public IReadOnlyList<GrantResponse> MyGrants { get; private set; } = [];
    public IReadOnlyList<string> AppRoles { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostEndAsync(Guid id, string? endReason, CancellationToken cancellationToken)
    {
        try
        {
            var grant = await ending.EndAsync(User, id, new RevokeGrantRequest(endReason), cancellationToken);
            Message = $"Your {grant.RoleName} grant is ended ({grant.Status}): AWS refuses its credentials from now on.";
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
        Now = time.GetUtcNow();
        AppRoles = User.FindAll(Auth.AppRoles.ClaimType).Select(claim => claim.Value).ToList();
        if (User.HasAppRole(Auth.AppRoles.Requester))
        {
            Form = BreakGlassForm.Empty(eligibility.RolesFor(User));
        }
        MyGrants = await views.ListAsync(User.UserName(), ShownGrants, cancellationToken);
    }
}
