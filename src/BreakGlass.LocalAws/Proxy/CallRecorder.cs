using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.LocalAws.CloudTrail;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>Writes a CloudTrail record (eventVersion 1.09) for every signed call the front handled.</summary>
internal sealed class CallRecorder(EventStore store, KnownIdentities identities, TimeProvider time, ILogger<CallRecorder> logger)
{
    public void Record(HttpContext context, AwsCall call, CallOutcome outcome)
    {
        var record = new JsonObject
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = identities.UserIdentityOf(call.Credential.AccessKeyId),
            ["eventTime"] = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["eventSource"] = call.EventSource,
            ["eventName"] = call.Action,
            ["awsRegion"] = call.Credential.Region,
            ["sourceIPAddress"] = SourceAddressOf(context),
            ["userAgent"] = context.Request.Headers.UserAgent.ToString(),
        };
        if (outcome.ErrorCode is not null)
        {
            record["errorCode"] = outcome.ErrorCode;
            record["errorMessage"] = outcome.ErrorMessage;
        }
        record["requestParameters"] = call.RequestParameters.Count == 0 ? null : call.RequestParameters;
        record["responseElements"] = null;
        record["requestID"] = outcome.RequestId ?? Guid.NewGuid().ToString();
        record["eventID"] = Guid.NewGuid().ToString();
        record["readOnly"] = call.ReadOnly;
        record["eventType"] = "AwsApiCall";
        record["managementEvent"] = !call.IsDataEvent;
        // The account the call acted in: a member account's agent or engineer session is recorded in that account's trail.
        var account = identities.AccountOf(call.Credential.AccessKeyId);
        record["recipientAccountId"] = account;
        record["eventCategory"] = call.IsDataEvent ? StoredEvent.Data : StoredEvent.Management;

        store.Add(StoredEvent.FromRaw(record.ToJsonString()) with { RecipientAccountId = account });
        logger.LogInformation("{EventSource} {EventName} by {AccessKeyId}: {StatusCode} {ErrorCode}",
            call.EventSource, call.Action, call.Credential.AccessKeyId, outcome.StatusCode, outcome.ErrorCode);
    }

    private static string SourceAddressOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : IPAddress.Loopback.ToString();
}
