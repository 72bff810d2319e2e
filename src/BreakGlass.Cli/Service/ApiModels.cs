using System.Text.Json;

namespace BreakGlass.Cli.Service;

/// <summary>The service's JSON, as docs/api.md describes it.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

internal sealed record RoleView(string Name, string RoleArn, int MaxDurationMinutes, bool RequireTicket);

internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";
}

internal sealed record TicketView(string Status, string? Identifier, string? Url, string? LastError);

internal sealed record GrantView(
    Guid Id,
    string Status,
    string Requester,
    string? RequesterName,
    string Role,
    string RoleArn,
    string Reason,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? EndReason,
    TicketView? Ticket,
    IReadOnlyList<string> AccessKeyIds,
    string? LastRevocationError,
    AwsCredentials? Credentials)
{
    /// <summary>Credentials may be used: the grant is Active and its window has not closed by the caller's clock.</summary>
    public bool IsOpenAt(DateTimeOffset now) => Status == "Active" && ExpiresAt > now;

    /// <summary>The grant as shown to people and scripts: never with secrets.</summary>
    public GrantView WithoutSecrets() => this with { Credentials = null };
}

internal sealed record ProblemView(string? Title, string? Detail, int? Status);

/// <summary><c>GET /.well-known/breakglass-configuration</c>: what a client needs to sign in.</summary>
internal sealed record SignInConfiguration(string Authority, string ClientId, IReadOnlyList<string> Scopes, string? Audience);
