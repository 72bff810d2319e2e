using System.Text;
using BreakGlass.Audit;
using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BreakGlass.Web.Pages;

/// <summary>
/// The auditor's page: the exception register (the same <see cref="ExceptionRegister"/> and filters as
/// <c>GET /api/audit/grants</c>) with its CSV, each grant's evidence pack, and the audit chain's verification.
/// </summary>
internal sealed class AuditModel(ExceptionRegister register, GrantChains chains, AuditChainVerifier verifier) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Requester { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Decision { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;
    /// <summary>The register's cursor for the page after the one shown before (<see cref="RegisterPage.Next"/>); <see cref="PageNumber"/> then only labels it.</summary>
    [BindProperty(SupportsGet = true)] public string? After { get; set; }
    /// <summary>Walk and recompute the whole audit chain: seconds on a large register, so only when the auditor asks.</summary>
    [BindProperty(SupportsGet = true)] public bool Verify { get; set; }

    public RegisterPage? Register { get; private set; }
    public ChainVerification? Verification { get; private set; }
    public string? Error { get; private set; }
    public static IReadOnlyList<string> Statuses => Enum.GetNames<GrantStatus>();
    public int Pages => Register is null ? 1 : (int)Math.Max(1, (Register.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Register = await register.QueryAsync(After is null ? Filter(PageNumber, PageSize) : Filter(1, PageSize, After), cancellationToken);
        }
        catch (InvalidRequestException invalid)
        {
            Error = invalid.Message;
            Response.StatusCode = invalid.StatusCode;
        }
        if (Verify) Verification = await verifier.VerifyAsync(null, cancellationToken);
    }

    /// <summary>The filtered register as CSV, up to the API's largest page (1000 rows).</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var all = await register.QueryAsync(Filter(1, 1000), cancellationToken);
        return File(Encoding.UTF8.GetBytes(ExceptionRegister.ToCsv(all)), "text/csv; charset=utf-8", "breakglass-exceptions.csv");
    }

    public async Task<IActionResult> OnGetPackAsync(Guid id, CancellationToken cancellationToken)
    {
        var (content, fileName) = await chains.ExportAsync(id, cancellationToken);
        return File(content, "application/zip", fileName);
    }

    /// <summary>The query string of this view on another page (for paging links): by number, or by the register's cursor.</summary>
    public Dictionary<string, string> Query(int page, string? after = null) => new()
    {
        ["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["requester"] = Requester ?? "", ["role"] = Role ?? "", ["status"] = Status ?? "", ["decision"] = Decision ?? "",
        ["pageNumber"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["after"] = after ?? "",
    };

    // Dates are whole UTC days, both ends included.
    private RegisterFilter Filter(int page, int pageSize, string? after = null) => RegisterFilter.Parse(
        From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        Blank(Requester), Blank(Role), Blank(Status), Blank(Decision), page, pageSize, Blank(after));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
