using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Evidence;
using BreakGlass.Tests.Grants;

namespace BreakGlass.Tests.Evidence;

internal static class EvidenceApiClient
{
    public static async Task<JsonObject> GetEvidenceAsync(this HttpClient client, string grantId) =>
        await (await client.GetAsync($"/api/grants/{grantId}/evidence")).ReadObjectAsync(HttpStatusCode.OK);

    /// <summary>Polls until the evidence is <paramref name="completeness"/>; fails with the last answer if it never gets there.</summary>
    public static async Task<JsonObject> WaitForEvidenceAsync(this HttpClient client, string grantId, string completeness, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var evidence = await client.GetEvidenceAsync(grantId);
            if ((string?)evidence["completeness"] == completeness) return evidence;
            Assert.True(DateTime.UtcNow < deadline,
                $"evidence of {grantId} is still {(string?)evidence["completeness"]} after {timeout.TotalSeconds} s, not {completeness}");
            await Task.Delay(250);
        }
    }

    /// <summary>The API's answer read back into the contract's type, as a client in .NET would.</summary>
    public static EvidenceReport ToReport(JsonObject evidence) =>
        evidence.Deserialize<EvidenceReport>(GrantApiClient.Json) ?? throw new JsonException("empty evidence");

    public static IReadOnlyList<JsonObject> Events(JsonObject evidence) => evidence["events"]!.AsArray().Select(item => item!.AsObject()).ToList();
}
