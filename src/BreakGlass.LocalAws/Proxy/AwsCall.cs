using System.Text.Json.Nodes;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>What a signed request asked for, as CloudTrail would name it.</summary>
/// <param name="ReadOnly">Whether the call only reads, as CloudTrail's <c>readOnly</c> says.</param>
/// <param name="IsDataEvent">An object-level S3 call: a data event, which LookupEvents does not return.</param>
internal sealed record AwsCall(SigV4Credential Credential, string Service, string Action, JsonObject RequestParameters, bool ReadOnly, bool IsDataEvent)
{
    public string EventSource => $"{Service}.amazonaws.com";
}
