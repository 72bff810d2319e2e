using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;

namespace BreakGlass.Errors;

/// <summary>
/// Text BreakGlass accepts from callers. PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold NUL, so a NUL would
/// fail the write deep inside a transaction (a 5xx); it is refused at the door instead, for every JSON string
/// (any endpoint, present or future), every query value and the path.
/// </summary>
internal static class TextInput
{
    public const string NulRefused = "Text must not contain the NUL character (\\u0000).";

    public static bool HasNul(string? text) => text is not null && text.Contains('\0');

    /// <summary>Refuses a NUL in the path or query and a body declared in a charset other than UTF-8 (400 problem).</summary>
    public static IApplicationBuilder UseTextInputGuard(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (HasNul(request.Path.Value) || request.Query.Any(pair => HasNul(pair.Key) || pair.Value.Any(HasNul)))
            {
                throw new InvalidRequestException(NulRefused);
            }
            if (request.ContentType is { } contentType
                && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                && mediaType.Charset.HasValue
                && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidRequestException($"The body must be UTF-8 JSON; charset '{mediaType.Charset}' is not accepted.");
            }
            return next(context);
        });

    /// <summary>Every JSON string the API reads, values and property names alike, goes through this converter.</summary>
    internal sealed class NulRefusingStringConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private static string Checked(string text) => HasNul(text) ? throw new JsonException(NulRefused) : text;
    }
}
