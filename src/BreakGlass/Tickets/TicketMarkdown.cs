using System.Globalization;
using System.Text;
using BreakGlass.Aws.Sts;
using BreakGlass.Grants;

namespace BreakGlass.Tickets;

/// <summary>What BreakGlass writes on a ticket: the filed issue and the lifecycle comments, in Linear's markdown.</summary>
internal static class TicketMarkdown
{
    public static string IssueTitle(Grant grant) => $"Break-glass access: {grant.RequesterName} as {grant.RoleName}";

    public static string IssueDescription(Grant grant, Uri grantUrl, string? unknownReference)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{Inline(grant.RequesterName)}** broke glass into **{Inline(grant.RoleName)}** in AWS account `{AccountId(grant.RoleArn)}`.");
        text.AppendLine();
        AppendFacts(text, grant, grantUrl);
        text.AppendLine();
        text.AppendLine("**Reason**");
        text.AppendLine();
        text.AppendLine(Quote(grant.Reason));
        text.AppendLine();
        text.AppendLine(unknownReference is null
            ? "_Filed by BreakGlass because no ticket was named when access was requested._"
            : $"_Filed by BreakGlass: the engineer named `{Code(unknownReference)}`, which Linear does not know._");
        text.Append("_BreakGlass comments here when credentials are issued and when access ends._");
        return text.ToString();
    }

    public static string AttachmentTitle(Grant grant) => $"BreakGlass grant: {grant.RequesterName} as {grant.RoleName}";

    public static string AttachmentSubtitle(Grant grant) => $"{When(grant.RequestedAt)} → {When(grant.ExpiresAt)}";

    public static string CredentialsIssued(Grant grant, IssuedCredentials credentials, Uri grantUrl, bool reissued)
    {
        var text = new StringBuilder();
        text.AppendLine(reissued
            ? $"**Fresh credentials issued** to {Inline(grant.RequesterName)} for **{Inline(grant.RoleName)}**; the earlier ones stay covered by the same revocation."
            : $"**Access granted**: {Inline(grant.RequesterName)} broke glass into **{Inline(grant.RoleName)}** until **{When(grant.ExpiresAt)}**.");
        text.AppendLine();
        AppendFacts(text, grant, grantUrl);
        text.AppendLine(CultureInfo.InvariantCulture, $"| Access key | `{credentials.AccessKeyId}` (session `{AssumeRoleParameters.RoleSessionName(grant)}`) |");
        text.AppendLine();
        text.AppendLine("**Reason**");
        text.AppendLine();
        text.Append(Quote(grant.Reason));
        return text.ToString();
    }

    public static string IssueFailed(string error) =>
        $"**No access was issued**: AWS refused the credentials ({Inline(error)}). Nothing needs revoking.";

    public static string Ended(Grant grant, bool early) =>
        early
            ? $"**Access ended early** at {When(grant.EndedAt ?? grant.ExpiresAt)} by {Inline(EndedByName(grant))}: {Inline(grant.EndReason ?? "no reason given")}.\n\nSessions of this grant are now denied by IAM."
            : $"**Access ended** at the end of the window ({When(grant.ExpiresAt)}).\n\nSessions of this grant are now denied by IAM.";

    public static string RevocationFailing(Grant grant, int attempts, string error) =>
        $"🚨 **Revocation is failing** ({attempts} attempts so far): `{Code(error)}`.\n\n" +
        $"The {Inline(grant.RoleName)} session of {Inline(grant.RequesterName)} may still be live. BreakGlass keeps retrying; an operator should check the role's inline policy now.";

    // Only the requester's name is stored; anyone else who ends a grant (a reviewer) is shown by their identity.
    private static string EndedByName(Grant grant) =>
        grant.EndedBy == grant.Requester ? grant.RequesterName : grant.EndedBy ?? "unknown";

    public static string DenyDriftRepaired(Grant grant, string finding, DateTimeOffset repairedAt) =>
        $"🚨 **The IAM deny for this grant was {Inline(finding)} outside BreakGlass** and was restored at {When(repairedAt)}.\n\n" +
        $"Until then the {Inline(grant.RoleName)} session of {Inline(grant.Requester)} may have been usable after its revocation. " +
        "Find out who changed the role's `BreakGlassRevocations` policy (CloudTrail `PutRolePolicy` / `DeleteRolePolicy`) and review what the session did.";

    /// <summary>The account is the fifth field of <c>arn:aws:iam::123456789012:role/Name</c>.</summary>
    public static string AccountId(string roleArn) => roleArn.Split(':') is { Length: >= 6 } parts ? parts[4] : "unknown";

    private static void AppendFacts(StringBuilder text, Grant grant, Uri grantUrl)
    {
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Requester | {Inline(grant.RequesterName)} (`{CellCode(grant.Requester)}`) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Role | {Inline(grant.RoleName)} (`{CellCode(grant.RoleArn)}`) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| AWS account | `{AccountId(grant.RoleArn)}` |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Window | {When(grant.RequestedAt)} → {When(grant.ExpiresAt)} ({(int)Math.Round((grant.ExpiresAt - grant.RequestedAt).TotalMinutes)} min) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Grant | [{grant.Id}]({grantUrl.AbsoluteUri}) |");
    }

    private static string When(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Free text (a reason, review notes) quoted line by line, so it reads as the author's words and cannot end the
    /// quote, and escaped so it cannot format, link or embed anything.
    /// </summary>
    public static string Quote(string text) => string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => "> " + Inline(line)));

    /// <summary>
    /// Text from people, for one line of markdown: the characters that open links, images, autolinks, HTML,
    /// entities, code spans, emphasis, headings and table cells are backslash-escaped (CommonMark lets any ASCII
    /// punctuation be), so no <c>[text](url)</c>, <c>![image](url)</c> or <c>&lt;https://…&gt;</c> survives; and the
    /// shapes renderers turn into links on their own (<c>scheme://</c>, <c>www.host</c>, bare <c>host.com</c>,
    /// <c>user@host</c>) are broken with an invisible U+2060 word joiner before the <c>/</c>, <c>.</c> or <c>@</c>.
    /// </summary>
    public static string Inline(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        var escaped = new StringBuilder(flat.Length * 2);
        for (var index = 0; index < flat.Length; index++)
        {
            var character = flat[index];
            if (character == '@'
                || (character == '/' && index > 0 && flat[index - 1] == ':')
                || (character == '.' && index + 1 < flat.Length && char.IsAsciiLetterOrDigit(flat[index + 1])))
            {
                escaped.Append(WordJoiner);
            }
            if (MarkdownSyntax.Contains(character))
            {
                escaped.Append('\\');
            }
            escaped.Append(character);
        }
        return escaped.ToString();
    }

    private const char WordJoiner = '\u2060';

    private const string MarkdownSyntax = "\\`*_[]()!<>#|~&";

    // Inside a code span nothing is markdown; only a backtick could end it early, and a line break would split it.
    private static string Code(string text) => text.ReplaceLineEndings(" ").Replace("`", "'", StringComparison.Ordinal);

    // GFM splits table cells at a pipe even inside a code span, unless it is escaped.
    public static string CellCode(string text) => Code(text).Replace("|", "\\|", StringComparison.Ordinal);
}
