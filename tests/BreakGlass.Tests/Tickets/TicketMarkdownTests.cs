using BreakGlass.Grants;
using BreakGlass.Tickets;

namespace BreakGlass.Tests.Tickets;

public sealed class TicketMarkdownTests
{
    private static readonly Uri GrantUrl = new("https://breakglass.example.com/api/grants/x");

    [Fact]
    public void TheEngineersReasonStaysInsideItsQuoteWhateverItContains()
    {
        var grant = Grant("Line one\n\n**Approved by CTO**\r\n# heading");

        var description = TicketMarkdown.IssueDescription(grant, GrantUrl, null);

        Assert.Contains("> Line one\n> \n> **Approved by CTO**\n> # heading", description);
    }

    [Fact]
    public void TableCellsCannotBeSplitByAPipeInAName()
    {
        var grant = Grant("database down") with { Requester = "eve|admin@example.com" };

        var description = TicketMarkdown.IssueDescription(grant, GrantUrl, null);

        Assert.Contains("| Requester | eve\\|admin@example.com |", description);
    }

    [Fact]
    public void TheDescriptionNamesTheAccountWindowAndGrantLink()
    {
        var description = TicketMarkdown.IssueDescription(Grant("database down"), GrantUrl, "OPS-404");

        Assert.Contains("| AWS account | `210987654321` |", description);
        Assert.Contains("| Window | 2026-03-01 03:00:00 UTC → 2026-03-01 07:00:00 UTC (240 min) |", description);
        Assert.Contains($"]({GrantUrl.AbsoluteUri}) |", description);
        Assert.Contains("`OPS-404`, which Linear does not know", description);
    }

    [Fact]
    public void AnEndAtExpiryAndAnEarlyEndReadDifferently()
    {
        var ended = Grant("database down") with { EndedAt = DateTimeOffset.Parse("2026-03-01T04:00:00Z"), EndedBy = "cto@example.com", EndReason = "done" };

        Assert.Equal("**Access ended early** at 2026-03-01 04:00:00 UTC by cto@example.com: done.\n\nSessions of this grant are now denied by IAM.",
            TicketMarkdown.Ended(ended, early: true));
        Assert.StartsWith("**Access ended** at the end of the window (2026-03-01 07:00:00 UTC)", TicketMarkdown.Ended(ended, early: false));
    }

    private static Grant Grant(string reason)
    {
        var requestedAt = DateTimeOffset.Parse("2026-03-01T03:00:00Z");
        return new Grant(Guid.CreateVersion7(requestedAt), GrantStatus.Active, "alice@example.com", "prod-admin",
            "arn:aws:iam::210987654321:role/breakglass/prod-admin", reason, null, requestedAt, requestedAt.AddHours(4),
            requestedAt.AddHours(1), null, null, null, 0, null);
    }
}
