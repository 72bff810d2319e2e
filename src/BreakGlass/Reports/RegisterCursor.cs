using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BreakGlass.Errors;
using Microsoft.AspNetCore.WebUtilities;

namespace BreakGlass.Reports;

/// <summary>A position in the register's order ((requested_at, id) descending): the last grant of a page.</summary>
internal sealed record RegisterPosition(DateTimeOffset RequestedAt, Guid Id);

/// <summary>
/// The opaque <c>after</c> cursor: the position, the filters it was made for, and a checksum. A cursor that was cut,
/// altered or made for other filters is refused (400) rather than silently skipping or repeating grants. The checksum
/// guards integrity, not secrecy: a hand-made cursor could only name a position, which an auditor may ask for anyway.
/// </summary>
internal static class RegisterCursor
{
    private const byte Version = 1;
    private const int FingerprintLength = 8;
    private const int ChecksumLength = 8;
    private const int PayloadLength = 1 + sizeof(long) + 16 + FingerprintLength;

    public const string Invalid = "'after' is not a cursor this register gave out (cut, altered or from another version): start again from the first page.";

    public const string OtherFilters = "This cursor belongs to other filters (from, to, requester, role, status, decision): start again from the first page.";

    public static string Encode(RegisterPosition position, RegisterFilter filter)
    {
        var bytes = new byte[PayloadLength + ChecksumLength];
        bytes[0] = Version;
        // PostgreSQL keeps microseconds, so the position round-trips exactly.
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), (position.RequestedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        position.Id.TryWriteBytes(bytes.AsSpan(1 + sizeof(long), 16), bigEndian: true, out _);
        Fingerprint(filter).CopyTo(bytes.AsSpan(1 + sizeof(long) + 16));
        Checksum(bytes.AsSpan(0, PayloadLength)).CopyTo(bytes.AsSpan(PayloadLength));
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <exception cref="InvalidRequestException">The cursor is malformed, altered, or belongs to other filters.</exception>
    public static RegisterPosition Decode(string cursor, RegisterFilter filter)
    {
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(cursor);
        }
        catch (FormatException)
        {
            throw new InvalidRequestException(Invalid);
        }
        if (bytes.Length != PayloadLength + ChecksumLength || bytes[0] != Version
            || !CryptographicOperations.FixedTimeEquals(Checksum(bytes.AsSpan(0, PayloadLength)), bytes.AsSpan(PayloadLength)))
        {
            throw new InvalidRequestException(Invalid);
        }
        if (!Fingerprint(filter).AsSpan().SequenceEqual(bytes.AsSpan(1 + sizeof(long) + 16, FingerprintLength)))
        {
            throw new InvalidRequestException(OtherFilters);
        }
        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (microseconds is < 0 or > 253_402_300_799_999_999L) throw new InvalidRequestException(Invalid);
        return new RegisterPosition(DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10), new Guid(bytes.AsSpan(1 + sizeof(long), 16), bigEndian: true));
    }

    /// <summary>The filters that decide which grants a walk visits; the page size may change between pages.</summary>
    private static byte[] Fingerprint(RegisterFilter filter) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            filter.From?.UtcTicks, filter.To?.UtcTicks, filter.Requester, filter.Role?.ToLowerInvariant(), filter.Status, filter.Decision)))[..FingerprintLength];

    private static byte[] Checksum(ReadOnlySpan<byte> payload) => SHA256.HashData(payload)[..ChecksumLength];
}
