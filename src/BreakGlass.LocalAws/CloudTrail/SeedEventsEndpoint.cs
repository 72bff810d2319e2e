using System.Text.Json;

namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>
/// <c>POST /_localaws/events</c> with a log file's shape, <c>{"Records": [...]}</c>: loads raw CloudTrail
/// records for tests and demos. Not an AWS API.
/// </summary>
internal static class SeedEventsEndpoint
{
    public const string Path = "/_localaws/events";

    public static async Task<IResult> HandleAsync(HttpRequest request, EventStore store)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                return TypedResults.Problem("The body must be {\"Records\": [...]}.", statusCode: StatusCodes.Status400BadRequest);
            }
            List<StoredEvent> parsed;
            try
            {
                parsed = records.EnumerateArray().Select(record => StoredEvent.FromRaw(record.GetRawText())).ToList();
            }
            catch (Exception exception) when (exception is FormatException or JsonException)
            {
                return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest);
            }
            var added = parsed.Count(store.Add);
            return TypedResults.Ok(new SeedResult(added, parsed.Count - added));
        }
    }

    internal sealed record SeedResult(int Added, int Duplicates);
}
