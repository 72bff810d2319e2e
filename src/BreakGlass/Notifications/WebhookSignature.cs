using System.Security.Cryptography;
using System.Text;

namespace BreakGlass.Notifications;

/// <summary>
/// <c>X-BreakGlass-Signature: sha256=&lt;hex HMAC-SHA256(secret, timestamp + "." + body)&gt;</c>. Signing the timestamp
/// with the body lets a receiver refuse a replayed body by its age (docs/notifications.md).
/// </summary>
internal static class WebhookSignature
{
    public const string TimestampHeader = "X-BreakGlass-Timestamp";
    public const string SignatureHeader = "X-BreakGlass-Signature";

    public static string Sign(string secret, long unixSeconds, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), prefix.Concat(body).ToArray());
        return "sha256=" + Convert.ToHexStringLower(hash);
    }
}
