using System.Text.Json;
using System.Text.Json.Serialization;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>The JSON 1.1 protocol sends timestamps as epoch seconds, with an optional fraction.</summary>
internal sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"expected epoch seconds, found {reader.TokenType}");
        }
        var milliseconds = (long)Math.Round(reader.GetDouble() * 1000, MidpointRounding.AwayFromZero);
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var milliseconds = value.ToUnixTimeMilliseconds();
        if (milliseconds % 1000 == 0)
        {
            writer.WriteNumberValue(milliseconds / 1000);
        }
        else
        {
            writer.WriteNumberValue(milliseconds / 1000m);
        }
    }
}
