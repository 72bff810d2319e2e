using BreakGlass.LocalAws.CloudTrail;
using BreakGlass.LocalAws.Iam;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>
/// Every AWS request: LookupEvents is answered here, anything else goes to moto; each signed call that
/// names an action is recorded as a CloudTrail event either way.
/// </summary>
internal sealed class AwsFront(LookupEventsEndpoint lookupEvents, MotoProxy moto, CallRecorder recorder, KnownIdentities identities, IamEnforcement iam)
{
    public async Task HandleAsync(HttpContext context)
    {
        var credential = SigV4Credential.Read(context.Request, out var signatureProblem);
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var isLookupEvents = target == LookupEventsEndpoint.Target
            || (credential?.Service == "cloudtrail" && !target.StartsWith(LookupEventsEndpoint.TargetPrefix, StringComparison.Ordinal));

        var body = isLookupEvents || AwsCallDescriber.IsBuffered(context.Request) ? await ReadBodyAsync(context) : null;
        var call = credential is null ? null : AwsCallDescriber.Describe(context.Request, credential, body);
        PendingAnswer answer;
        try
        {
            answer = (call is null ? null : await iam.RefuseAsync(call, context.Request, context.RequestAborted))
                ?? (isLookupEvents
                    ? lookupEvents.Answer(context.Request, credential, signatureProblem, body ?? [])
                    : await moto.ForwardAsync(context, body,
                        keepBody: call is not null && (KnownIdentities.Reveals(call) || IamEnforcement.ReadsResponse(call)),
                        credential?.Service ?? "",
                        call is null ? null : iam.ResponseRewrite(call)));
        }
        catch (HttpRequestException exception)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync($"moto is not answering at {moto.Endpoint}: {exception.Message}");
            return;
        }
        using (answer)
        {
            if (call is not null)
            {
                await iam.AfterAsync(call, answer.Outcome, context.RequestAborted);
                identities.Learn(call, answer.Outcome);
                recorder.Record(context, call, answer.Outcome);
            }
            await answer.WriteAsync(context.Response, context.RequestAborted);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }
}
