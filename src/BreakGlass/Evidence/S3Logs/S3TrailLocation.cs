using System.Globalization;

namespace BreakGlass.Evidence.S3Logs;

/// <summary>
/// Where a trail delivers its log files: <c>[KeyPrefix/]AWSLogs/[OrganizationId/]AccountId/CloudTrail/Region/YYYY/MM/DD/</c>
/// in <see cref="Bucket"/> (an organization trail adds the organization id).
/// </summary>
internal sealed record S3TrailLocation(
    string Bucket,
    string AccountId,
    IReadOnlyList<string> Regions,
    string? KeyPrefix = null,
    string? OrganizationId = null)
{
    public string DayPrefix(string region, DateOnly day)
    {
        var prefix = string.IsNullOrEmpty(KeyPrefix) ? "" : KeyPrefix.TrimEnd('/') + "/";
        var organization = string.IsNullOrEmpty(OrganizationId) ? "" : OrganizationId + "/";
        return $"{prefix}AWSLogs/{organization}{AccountId}/CloudTrail/{region}/{day.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/";
    }
}
