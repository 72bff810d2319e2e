using System.Diagnostics;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BreakGlass.Web.Pages;

/// <summary>Every refusal and failure of a page, as a plain page with its status code; never a stack trace.</summary>
[IgnoreAntiforgeryToken]
internal sealed class StatusModel : PageModel
{
    public string Title { get; private set; } = "";
    public string Detail { get; private set; } = "";
    public string? TraceId { get; private set; }

    public void OnGet(int? code) => Describe(code);

    // A failed form post is re-executed as a post; it gets the same page.
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        if (HttpContext.Features.Get<IExceptionHandlerFeature>() is { Error: var failure })
        {
            (_, Title, Detail) = ProblemSetup.Describe(failure);
            TraceId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
            return;
        }
        var status = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode ?? code ?? StatusCodes.Status404NotFound;
        Response.StatusCode = status;
        (Title, Detail) = status switch
        {
            StatusCodes.Status400BadRequest => ("Request refused", "The form was not accepted: it may have expired or come from another site. Go back, reload the page and try again."),
            StatusCodes.Status401Unauthorized => ("Sign-in failed", "Your sign-in could not be completed. Try again; if it keeps failing, ask whoever runs BreakGlass to check its log."),
            StatusCodes.Status403Forbidden => ("Not allowed", "Your roles do not include this page. Ask for the group that grants it if you need it."),
            StatusCodes.Status404NotFound => ("Not found", "There is nothing here, or nothing you may see."),
            StatusCodes.Status429TooManyRequests => ("Too many requests", "You sent too many requests in the last minute. Wait a moment and try again."),
            _ => ("Something went wrong", "BreakGlass could not answer this request."),
        };
    }
}
