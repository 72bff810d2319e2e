using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BreakGlass.Audit;

/// <summary>The hash that links each audit event to the one before it.</summary>
internal static class AuditHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(long sequence, DateTimeOffset occurredAt, Guid? grantId, string eventType, string actor, string data, string previousHash)
    {
        // Fields are length-prefixed so that no choice of values can make two different events hash alike.
        var builder = new StringBuilder();
        foreach (var field in new[]
                 {
                     sequence.ToString(CultureInfo.InvariantCulture),
                     occurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
                     grantId?.ToString("D") ?? "",
                     eventType,
                     actor,
                     data,
                     previousHash,
                 })
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>PostgreSQL keeps microseconds: truncate before hashing so the stored value hashes the same.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
}
