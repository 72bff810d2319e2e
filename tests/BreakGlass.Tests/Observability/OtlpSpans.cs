namespace BreakGlass.Tests.Observability;

/// <summary>A span as OTLP carries it (opentelemetry-proto <c>trace/v1/trace.proto</c>); ids in lower-case hex.</summary>
internal sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, SpanKind Kind, string Scope, IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>OTLP's <c>Span.SpanKind</c>.</summary>
internal enum SpanKind { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 }

/// <summary>
/// Decodes an <c>ExportTraceServiceRequest</c> from the protobuf wire format, reading only the fields the tests need
/// (every other field is skipped by its wire type, as any protobuf reader does).
/// </summary>
internal static class OtlpSpans
{
    public static IEnumerable<ReceivedSpan> Decode(byte[] request) =>
        from resourceSpans in Messages(request, 1)
        from scopeSpans in Messages(resourceSpans, 2)
        let scope = Messages(scopeSpans, 1).Select(ScopeName).FirstOrDefault() ?? ""
        from span in Messages(scopeSpans, 2)
        select ToSpan(span, scope);

    private static ReceivedSpan ToSpan(ReadOnlyMemory<byte> span, string scope)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var kind = SpanKind.Unspecified;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in Protobuf.Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 2: spanId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 4: parentSpanId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 5: name = field.Text; break;
                case 6: kind = (SpanKind)field.Varint; break;
                case 9:
                    var (key, value) = KeyValue(field.Bytes);
                    attributes[key] = value;
                    break;
            }
        }
        return new ReceivedSpan(traceId, spanId, parentSpanId, name, kind, scope, attributes);
    }

    private static string ScopeName(ReadOnlyMemory<byte> scope) => Protobuf.Fields(scope).FirstOrDefault(field => field.Number == 1)?.Text ?? "";

    // AnyValue: 1 string, 2 bool, 3 int64, 4 double; arrays, key lists and bytes are not needed here.
    private static (string Key, string Value) KeyValue(ReadOnlyMemory<byte> keyValue)
    {
        string key = "", value = "";
        foreach (var field in Protobuf.Fields(keyValue))
        {
            if (field.Number == 1) key = field.Text;
            if (field.Number != 2) continue;
            foreach (var any in Protobuf.Fields(field.Bytes))
            {
                value = any.Number switch
                {
                    1 => any.Text,
                    2 => any.Varint != 0 ? "true" : "false",
                    3 => ((long)any.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    4 => BitConverter.Int64BitsToDouble((long)any.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => value,
                };
            }
        }
        return (key, value);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int number) =>
        Protobuf.Fields(message).Where(field => field.Number == number).Select(field => field.Bytes).ToList();
}
