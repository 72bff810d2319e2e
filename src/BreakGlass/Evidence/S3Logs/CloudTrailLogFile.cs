using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Evidence.S3Logs;

/// <summary>
/// Reads a CloudTrail log file (<c>{"Records":[...]}</c>) record by record, so a file of any size
/// needs only a buffer the size of its largest record.
/// </summary>
internal static class CloudTrailLogFile
{
    /// <summary>The records for which <paramref name="keep"/> is true, in file order.</summary>
    /// <exception cref="JsonException">The file is not a CloudTrail log file, or ends early.</exception>
    public static async IAsyncEnumerable<CloudTrailRecord> ReadAsync(
        Stream utf8Json,
        Func<JsonElement, bool> keep,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        int initialBufferSize = 64 * 1024)
    {
        var parser = new RecordsParser(keep);
        var buffer = ArrayPool<byte>.Shared.Rent(initialBufferSize);
        var filled = 0;
        try
        {
            while (!parser.Done)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await utf8Json.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                filled += read;
                var finalBlock = read == 0;
                var consumed = parser.Parse(buffer.AsSpan(0, filled), finalBlock);
                foreach (var record in parser.TakeKept())
                {
                    yield return record;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (finalBlock && !parser.Done)
                {
                    throw new JsonException("the CloudTrail log file ends before its Records array does");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Resumable across buffer refills: it commits only whole tokens and whole records.</summary>
    private sealed class RecordsParser(Func<JsonElement, bool> keep)
    {
        private readonly List<CloudTrailRecord> _kept = [];
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 256 });
        private Phase _phase = Phase.BeforeRoot;

        private enum Phase { BeforeRoot, InRoot, InRecords, Done }

        public bool Done => _phase == Phase.Done;

        public IEnumerable<CloudTrailRecord> TakeKept()
        {
            var kept = _kept.ToArray();
            _kept.Clear();
            return kept;
        }

        /// <returns>How many bytes of <paramref name="data"/> were fully used.</returns>
        public int Parse(ReadOnlySpan<byte> data, bool finalBlock)
        {
            var reader = new Utf8JsonReader(data, finalBlock, _state);
            var committedBytes = 0L;
            var committedState = _state;
            while (_phase != Phase.Done && Step(ref reader))
            {
                committedBytes = reader.BytesConsumed;
                committedState = reader.CurrentState;
            }
            _state = committedState;
            return (int)committedBytes;
        }

        /// <returns>False when the data ran out before the step completed; nothing of it is kept then.</returns>
        private bool Step(ref Utf8JsonReader reader)
        {
            if (!reader.Read()) return false;
            switch (_phase)
            {
                case Phase.BeforeRoot:
                    Expect(ref reader, JsonTokenType.StartObject);
                    _phase = Phase.InRoot;
                    return true;
                case Phase.InRoot when reader.TokenType == JsonTokenType.EndObject:
                    _phase = Phase.Done;
                    return true;
                case Phase.InRoot when reader.ValueTextEquals("Records"u8):
                    if (!reader.Read()) return false;
                    Expect(ref reader, JsonTokenType.StartArray);
                    _phase = Phase.InRecords;
                    return true;
                case Phase.InRoot:
                    return reader.TrySkip();
                case Phase.InRecords when reader.TokenType == JsonTokenType.EndArray:
                    _phase = Phase.InRoot;
                    return true;
                default:
                    Expect(ref reader, JsonTokenType.StartObject);
                    if (!JsonDocument.TryParseValue(ref reader, out var document)) return false;
                    using (document)
                    {
                        if (keep(document.RootElement)) _kept.Add(CloudTrailRecord.FromJson(document.RootElement));
                    }
                    return true;
            }
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
        {
            if (reader.TokenType != expected)
            {
                throw new JsonException($"a CloudTrail log file has {expected} here, not {reader.TokenType} (byte {reader.TokenStartIndex})");
            }
        }
    }
}
