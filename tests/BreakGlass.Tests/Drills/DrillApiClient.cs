using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Drills;

internal static class DrillApiClient
{
    /// <summary>Starts a drill as the caller and returns its id (the 202's body).</summary>
    public static async Task<string> StartDrillAsync(this HttpClient client)
    {
        var response = await client.PostAsync("/api/drills", null);
        var started = await response.ReadObjectAsync(HttpStatusCode.Accepted);
        var id = (string)started["id"]!;
        Assert.Equal($"/api/drills/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>Follows the drill until it has a result (passed is null while it runs).</summary>
    public static async Task<JsonObject> WaitForResultAsync(this HttpClient client, string id)
    {
        JsonObject drill = [];
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            drill = await (await client.GetAsync($"/api/drills/{id}")).ReadObjectAsync(HttpStatusCode.OK);
            return drill["passed"] is not null;
        }, Eventually.Patience * 2), $"drill {id} did not finish: {drill.ToJsonString()}");
        return drill;
    }
}
