using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>
/// A page position: the last event returned, bound to the query it belongs to, since CloudTrail refuses a
/// token "previously used in a request with different parameters".
/// </summary>
internal sealed record NextToken(string QueryHash, DateTimeOffset EventTime, string EventId)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{QueryHash}|{EventTime.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{EventId}"));

    public static NextToken? TryDecode(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(bytes).Split('|', 3);
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks && parts[2].Length > 0
            ? new NextToken(parts[0], new DateTimeOffset(ticks, TimeSpan.Zero), parts[2])
            : null;
    }

    public static string HashOf(string canonicalQuery) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalQuery)))[..16];

    /// <summary>Whether <paramref name="candidate"/> comes after this position in newest-first order.</summary>
    public bool Precedes(StoredEvent candidate) =>
        candidate.EventTime < EventTime || (candidate.EventTime == EventTime && string.CompareOrdinal(candidate.EventId, EventId) < 0);
}
