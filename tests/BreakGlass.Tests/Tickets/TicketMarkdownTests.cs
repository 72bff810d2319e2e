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

        Assert.Contains("> Line one\n> \n> \\*\\*Approved by CTO\\*\\*\n> \\# heading", description);
    }

    [Fact]
    public void TableCellsCannotBeSplitByAPipeInAName()
    {
        var grant = Grant("database down") with { Requester = "okta|00u1", RequesterName = "eve|admin" };

        var description = TicketMarkdown.IssueDescription(grant, GrantUrl, null);

        Assert.Contains("| Requester | eve\\|admin (`okta\\|00u1`) |", description);
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

        Assert.Equal("**Access ended early** at 2026-03-01 04:00:00 UTC by cto\u2060@example\u2060.com: done.\n\nSessions of this grant are now denied by IAM.",
            TicketMarkdown.Ended(ended, early: true));
        Assert.StartsWith("**Access ended** at the end of the window (2026-03-01 07:00:00 UTC)", TicketMarkdown.Ended(ended, early: false));
    }

    public static TheoryData<string> HostileTexts => new()
    {
        "[click me](https://evil.example.com/login)",
        "![tracker](https://evil.example.com/pixel.png)",
        "<https://evil.example.com>",
        "<img src=x onerror=alert(1)>",
        "see https://evil.example.com/login now",
        "see www.evil.example.com now",
        "mail security@evil.example.com",
        "[ref]: https://evil.example.com\n[ref]",
        "`code` and ``double``",
        "&lt;b&gt; entity &#x5B;link&#x5D;(https://evil.example.com)",
        "\\[escaped\\](https://evil.example.com)",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void TextFromPeopleCannotCreateLinksOrImages(string hostile)
    {
        var grant = Grant(hostile) with
        {
            Requester = "dev-0123", RequesterName = hostile, EndedBy = hostile, EndReason = hostile, EndedAt = DateTimeOffset.Parse("2026-03-01T04:00:00Z"),
        };

        foreach (var markdown in new[] { TicketMarkdown.IssueDescription(grant, GrantUrl, null), TicketMarkdown.Ended(grant, early: true), TicketMarkdown.Quote(hostile) })
        {
            var live = LiveCharacters(markdown.Replace($"[{grant.Id}]({GrantUrl.AbsoluteUri})", "", StringComparison.Ordinal));
            Assert.DoesNotContain("](", live);
            Assert.DoesNotContain("![", live);
            Assert.DoesNotContain("&", live);
            Assert.DoesNotMatch("<[A-Za-z/!]", live);
            Assert.DoesNotContain("://", markdown.Replace(GrantUrl.AbsoluteUri, "", StringComparison.Ordinal));
            Assert.DoesNotMatch("(?i)www\\.", markdown);
            Assert.DoesNotMatch("[A-Za-z0-9]@", markdown);
            Assert.DoesNotMatch("(?m)^[ >]*\\[", live);
        }
        Assert.DoesNotMatch("[A-Za-z0-9]\\.[A-Za-z0-9]", TicketMarkdown.Quote(hostile));
    }

    [Fact]
    public void EscapedTextStillReadsAsWhatWasWritten()
    {
        var rendered = TicketMarkdown.Inline("restart db-1 (see ENG-12): it's 50% down!");

        Assert.Equal("restart db-1 (see ENG-12): it's 50% down!", Unescape(rendered));
    }

    /// <summary>The markdown with every backslash-escaped character blanked out: what a renderer could still act on.</summary>
    private static string LiveCharacters(string markdown)
    {
        var live = new System.Text.StringBuilder();
        for (var index = 0; index < markdown.Length; index++)
        {
            if (markdown[index] == '\\' && index + 1 < markdown.Length && char.IsAscii(markdown[index + 1]) && !char.IsLetterOrDigit(markdown[index + 1]))
            {
                live.Append(' ');
                index++;
            }
            else
            {
                live.Append(markdown[index]);
            }
        }
        return live.ToString();
    }

    private static string Unescape(string markdown) =>
        System.Text.RegularExpressions.Regex.Replace(markdown, "\\\\(.)", "$1").Replace("\u2060", "", StringComparison.Ordinal);

    private static Grant Grant(string reason)
    {
        var requestedAt = DateTimeOffset.Parse("2026-03-01T03:00:00Z");
        return new Grant(Guid.CreateVersion7(requestedAt), GrantStatus.Active, "alice@example.com", "prod-admin",
            "arn:aws:iam::210987654321:role/breakglass/prod-admin", reason, null, requestedAt, requestedAt.AddHours(4),
            requestedAt.AddHours(1), null, null, null, 0, null, "alice@example.com");
    }
}
