using System.Diagnostics;
using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tests.Linear;
using Xunit.Abstractions;

namespace BreakGlass.Tests.Tickets;

public sealed class LinearRateLimitTests(LinearOutageFixture fixture, ITestOutputHelper output) : IClassFixture<LinearOutageFixture>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData(LinearRateLimitAnswer.GraphQlError)]
    [InlineData(LinearRateLimitAnswer.TooManyRequests)]
    public async Task UnderARateLimitBreakGlassWaitsForTheResetInsteadOfHammering(LinearRateLimitAnswer answer)
    {
        // Four engineers break glass at once (one engineer may hold only Policy:MaxOpenGrantsPerRequester grants on a role).
        var engineers = Enumerable.Range(0, 4).Select(_ => fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()))).ToList();
        var refusedBefore = fixture.Linear.RateLimitedCount;
        var clock = Stopwatch.StartNew();
        // Each grant needs three calls (issue, link back, comment): four grants need four windows.
        fixture.Linear.RateLimit(3, Window, answer);
        try
        {
            var ids = new List<(HttpClient Client, string Id)>();
            foreach (var client in engineers)
            {
                var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
                ids.Add((client, (string)grant["id"]!));
            }

            foreach (var (client, id) in ids)
            {
                Assert.Equal("filed", (await client.WaitForTicketAsync(id, "filed", Eventually.Patience)).Status);
                var issue = Assert.Single(fixture.IssuesFiledFor(id));
                Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 1, Eventually.Patience));
            }
        }
        finally
        {
            fixture.Linear.LiftRateLimit();
            engineers.ForEach(engineer => engineer.Dispose());
        }

        var refused = fixture.Linear.RateLimitedCount - refusedBefore;
        var windows = (int)Math.Ceiling(clock.Elapsed / Window);
        output.WriteLine($"{answer}: {refused} refused request(s) over {windows} window(s) ({clock.Elapsed.TotalSeconds:0.0} s)");
        Assert.True(refused >= 1, "the test must actually hit the limit");
        // Waiting for the reset costs about one refused request per window; retrying on a timer would cost several.
        Assert.True(refused <= windows + 1, $"{refused} refused requests in {windows} windows");
    }
}
