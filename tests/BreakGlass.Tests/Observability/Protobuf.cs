using System.Buffers.Binary;
using System.Text;

namespace BreakGlass.Tests.Observability;

/// <summary>One field of a protobuf message: its number, and its value by wire type (varint, fixed, or length-delimited bytes).</summary>
internal sealed record ProtobufField(int Number, ulong Varint, ReadOnlyMemory<byte> Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);
}

/// <summary>The protobuf wire format (protobuf.dev/programming-guides/encoding): enough to walk any message.</summary>
internal static class Protobuf
{
    public static IEnumerable<ProtobufField> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtobufField>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add(new ProtobufField(number, ReadVarint(message.Span, ref position), ReadOnlyMemory<byte>.Empty));
                    break;
                case 1:
                    fields.Add(new ProtobufField(number, BinaryPrimitives.ReadUInt64LittleEndian(message.Span[position..]), ReadOnlyMemory<byte>.Empty));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    fields.Add(new ProtobufField(number, 0, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    fields.Add(new ProtobufField(number, BinaryPrimitives.ReadUInt32LittleEndian(message.Span[position..]), ReadOnlyMemory<byte>.Empty));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"wire type {tag & 7} of field {number} is not one protobuf uses for OTLP");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var next = bytes[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0) return value;
        }
    }
}
