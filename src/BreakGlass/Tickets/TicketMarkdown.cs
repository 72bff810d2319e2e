using System.Globalization;
using System.Text;
using BreakGlass.Aws.Sts;
using BreakGlass.Grants;

namespace BreakGlass.Tickets;

/// <summary>What BreakGlass writes on a ticket: the filed issue and the lifecycle comments, in Linear's markdown.</summary>
internal static class TicketMarkdown
{
    public static string IssueTitle(Grant grant) => $"Break-glass access: {grant.Requester} as {grant.RoleName}";

    public static string IssueDescription(Grant grant, Uri grantUrl, string? unknownReference)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{Inline(grant.Requester)}** broke glass into **{Inline(grant.RoleName)}** in AWS account `{AccountId(grant.RoleArn)}`.");
        text.AppendLine();
        AppendFacts(text, grant, grantUrl);
        text.AppendLine();
        text.AppendLine("**Reason**");
        text.AppendLine();
        text.AppendLine(Quote(grant.Reason));
        text.AppendLine();
        text.AppendLine(unknownReference is null
            ? "_Filed by BreakGlass because no ticket was named when access was requested._"
            : $"_Filed by BreakGlass: the engineer named `{Inline(unknownReference)}`, which Linear does not know._");
        text.Append("_BreakGlass comments here when credentials are issued and when access ends._");
        return text.ToString();
    }

    public static string AttachmentTitle(Grant grant) => $"BreakGlass grant: {grant.Requester} as {grant.RoleName}";

    public static string AttachmentSubtitle(Grant grant) => $"{When(grant.RequestedAt)} → {When(grant.ExpiresAt)}";

    public static string CredentialsIssued(Grant grant, IssuedCredentials credentials, Uri grantUrl, bool reissued)
    {
        var text = new StringBuilder();
        text.AppendLine(reissued
            ? $"**Fresh credentials issued** to {Inline(grant.Requester)} for **{Inline(grant.RoleName)}**; the earlier ones stay covered by the same revocation."
            : $"**Access granted**: {Inline(grant.Requester)} broke glass into **{Inline(grant.RoleName)}** until **{When(grant.ExpiresAt)}**.");
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
            ? $"**Access ended early** at {When(grant.EndedAt ?? grant.ExpiresAt)} by {Inline(grant.EndedBy ?? "unknown")}: {Inline(grant.EndReason ?? "no reason given")}.\n\nSessions of this grant are now denied by IAM."
            : $"**Access ended** at the end of the window ({When(grant.ExpiresAt)}).\n\nSessions of this grant are now denied by IAM.";

    public static string RevocationFailing(Grant grant, int attempts, string error) =>
        $"🚨 **Revocation is failing** ({attempts} attempts so far): `{Inline(error)}`.\n\n" +
        $"The {Inline(grant.RoleName)} session of {Inline(grant.Requester)} may still be live. BreakGlass keeps retrying; an operator should check the role's inline policy now.";

    /// <summary>The account is the fifth field of <c>arn:aws:iam::123456789012:role/Name</c>.</summary>
    public static string AccountId(string roleArn) => roleArn.Split(':') is { Length: >= 6 } parts ? parts[4] : "unknown";

    private static void AppendFacts(StringBuilder text, Grant grant, Uri grantUrl)
    {
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Requester | {Cell(grant.Requester)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Role | {Cell(grant.RoleName)} (`{Cell(grant.RoleArn)}`) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| AWS account | `{AccountId(grant.RoleArn)}` |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Window | {When(grant.RequestedAt)} → {When(grant.ExpiresAt)} ({(int)Math.Round((grant.ExpiresAt - grant.RequestedAt).TotalMinutes)} min) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Grant | [{grant.Id}]({grantUrl.AbsoluteUri}) |");
    }

    private static string When(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // The reason is the engineer's free text: quoted line by line, so it reads as their words and cannot end the quote.
    private static string Quote(string text) => string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => "> " + line));

    private static string Inline(string text) => text.ReplaceLineEndings(" ").Replace("`", "'", StringComparison.Ordinal);

    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);
}
