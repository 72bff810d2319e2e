using System.Diagnostics;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Tests.Infrastructure;
using static BreakGlass.Tests.CloudTrail.LocalAwsTestClient;

namespace BreakGlass.Tests.CloudTrail;

public sealed class LocalAwsProcessTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task TheFrontRunsAsItsOwnProcess()
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "BreakGlass.LocalAws.dll"), "--urls", $"http://127.0.0.1:{port}", "--moto", moto.Endpoint.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitUntilListeningAsync(port, StartupPatience.Timeout);
            var localAws = new LocalAwsTestClient(new Uri($"http://127.0.0.1:{port}"));
            var key = NewAccessKeyId();
            var time = DateTimeOffset.UtcNow;
            await localAws.SeedAsync([Event(key, time)]);

            var page = await localAws.CloudTrail().LookupEventsAsync(
                new LookupEventsRequest { LookupAttributes = [new LookupAttribute(LookupAttributeKeys.AccessKeyId, key)] }, CancellationToken.None);

            Assert.Equal(key, Assert.Single(page.Events).AccessKeyId);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task WithoutAMotoEndpointTheProcessExplainsItsUsage()
    {
        var output = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "BreakGlass.LocalAws.dll"), "--urls", "http://127.0.0.1:0"]));

        Assert.Contains("exited 2", output.Message, StringComparison.Ordinal);
        Assert.Contains("--moto", output.Message, StringComparison.Ordinal);
    }
}
