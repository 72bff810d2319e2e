using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BreakGlass.Notifications;

/// <summary>
/// A notification as a Slack message: a fallback <c>text</c> and Block Kit <c>blocks</c> within Slack's limits.
/// Everything that came from people (names, reasons, notes) is escaped, so it can neither mention nor link.
/// </summary>
internal static class SlackMessage
{
    /// <summary>Slack's limits: https://api.slack.com/reference/block-kit/blocks</summary>
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxHeaderText = 150;

    public static JsonObject Render(NotificationPayload payload)
    {
        var critical = payload.Severity == NotificationSeverity.Critical;
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText(Limit((critical ? "🚨 " : "") + payload.Title, MaxHeaderText)),
            },
            // A critical notification wakes the channel: the one mention BreakGlass itself writes.
            Section(Text((critical ? "<!here> " : "") + Escape(payload.Text, MaxSectionText - 8))),
        };
        var fields = Fields(payload.Data);
        if (fields.Count > 0) blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        if (payload.GrantUrl is { } grantUrl) blocks.Add(Section(Text($"<{Escape(grantUrl.AbsoluteUri, MaxSectionText - 30)}|Open the grant in BreakGlass>")));
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(Text(Escape(
                $"{payload.Type} · {payload.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)} · {payload.Id}", MaxFieldText))),
        });
        return new JsonObject
        {
            ["text"] = Escape(payload.Title + ": " + payload.Text, MaxSectionText),
            ["blocks"] = blocks,
        };
    }

    /// <summary>
    /// Escapes Slack's three control characters and keeps the result within <paramref name="limit"/> characters,
    /// cutting between escapes (never inside <c>&amp;amp;</c>) and marking a cut with an ellipsis.
    /// </summary>
    public static string Escape(string text, int limit)
    {
        var escaped = new StringBuilder(Math.Min(text.Length, limit));
        foreach (var character in text)
        {
            var piece = character switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => null };
            var length = piece?.Length ?? 1;
            if (escaped.Length + length > limit - 1)
            {
                escaped.Append('…');
                return escaped.ToString();
            }
            if (piece is null) escaped.Append(character);
            else escaped.Append(piece);
        }
        return escaped.ToString();
    }

    private static JsonArray Fields(JsonElement data)
    {
        var fields = new JsonArray();
        if (data.ValueKind != JsonValueKind.Object) return fields;
        foreach (var property in data.EnumerateObject())
        {
            if (fields.Count == MaxFields) break;
            if (property.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) continue;
            var label = Label(property.Name);
            var value = property.Name.EndsWith("Url", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String
                ? $"<{Escape(property.Value.GetString()!, MaxFieldText - label.Length - 40)}>"
                : Escape(Display(property.Value), MaxFieldText - label.Length - 4);
            fields.Add(Text($"*{label}*\n{value}"));
        }
        return fields;
    }

    private static string Display(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => string.Join("\n", value.EnumerateArray().Select(Display)),
        _ => value.GetRawText(),
    };

    /// <summary><c>revokeSessionsIssuedBefore</c> → <c>Revoke sessions issued before</c>.</summary>
    private static string Label(string name)
    {
        var label = new StringBuilder();
        foreach (var character in name)
        {
            if (label.Length == 0) label.Append(char.ToUpperInvariant(character));
            else if (char.IsUpper(character)) label.Append(' ').Append(char.ToLowerInvariant(character));
            else label.Append(character);
        }
        return label.ToString();
    }

    private static string Limit(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";

    private static JsonObject Section(JsonObject text) => new() { ["type"] = "section", ["text"] = text };

    private static JsonObject Text(string mrkdwn) => new() { ["type"] = "mrkdwn", ["text"] = mrkdwn };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };
}
