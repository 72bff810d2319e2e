using System.Globalization;

namespace BreakGlass.Evidence.S3Logs;

/// <summary>
/// Where a trail delivers its log files: <c>[KeyPrefix/]AWSLogs/[OrganizationId/]AccountId/CloudTrail/Region/YYYY/MM/DD/</c>
/// in <see cref="Bucket"/>. An organization trail adds the organization id and keeps one folder per member account, so
/// a session's files are in its own account's folder; a single-account trail has the one folder of
/// <see cref="AccountId"/>.
/// </summary>
internal sealed record S3TrailLocation(
    string Bucket,
    string? AccountId,
    IReadOnlyList<string> Regions,
    string? KeyPrefix = null,
    string? OrganizationId = null)
{
    public bool IsOrganizationTrail => !string.IsNullOrEmpty(OrganizationId);

    /// <summary>The account folder holding the calls of a session in <paramref name="sessionAccountId"/>.</summary>
    public string AccountFolderFor(string sessionAccountId) => IsOrganizationTrail ? sessionAccountId : AccountId!;

    public string DayPrefix(string accountId, string region, DateOnly day)
    {
        var prefix = string.IsNullOrEmpty(KeyPrefix) ? "" : KeyPrefix.TrimEnd('/') + "/";
        var organization = IsOrganizationTrail ? OrganizationId + "/" : "";
        return $"{prefix}AWSLogs/{organization}{accountId}/CloudTrail/{region}/{day.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/";
    }
}
