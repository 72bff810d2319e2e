using System.Text.Json.Serialization;

namespace BreakGlass.Aws.CloudTrail;

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(LookupEventsRequest))]
[JsonSerializable(typeof(LookupEventsResponse))]
internal sealed partial class CloudTrailJsonContext : JsonSerializerContext;
