using System.Text.Json;

namespace BreakGlass.Notifications;

/// <summary>
/// A notification as stored in the outbox and sent as a webhook's body (JSON, camelCase). Every channel renders from
/// it, so what Slack shows and what a receiver gets cannot disagree.
/// </summary>
/// <param name="Id">The same on every channel: a receiver that sees an id twice has seen the notification already.</param>
/// <param name="GrantUrl">The grant's page, for people.</param>
internal sealed record NotificationPayload(
    Guid Id,
    string Type,
    string Severity,
    DateTimeOffset OccurredAt,
    string Title,
    string Text,
    Guid? GrantId,
    Uri? GrantUrl,
    JsonElement Data)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static NotificationPayload Parse(string json) =>
        JsonSerializer.Deserialize<NotificationPayload>(json, Json) ?? throw new InvalidDataException("an empty notification payload");

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
