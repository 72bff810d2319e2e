using System.Collections.Concurrent;
using System.Net;
using BreakGlass.LocalAws;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Reviews;

/// <summary>BreakGlass behind the recording AWS front with short evidence passes, plus a webhook receiver for reminders.</summary>
public sealed class ReviewFixture : BreakGlassFixture
{
    private readonly HttpListener _webhook = new();

    public ReviewFixture()
    {
        EvidenceSettings.Apply(Overrides);
        WebhookPort = FreePort.Next();
        _webhook.Prefixes.Add($"http://127.0.0.1:{WebhookPort}/");
        _webhook.Start();
        _ = ReceiveAsync();
        Overrides["Review__WebhookUrl"] = $"http://127.0.0.1:{WebhookPort}/reminders";
    }

    internal int WebhookPort { get; }

    internal ConcurrentQueue<string> WebhookBodies { get; } = new();

    private protected override LocalAwsOptions? LocalAwsFront => new();

    private async Task ReceiveAsync()
    {
        while (_webhook.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _webhook.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            WebhookBodies.Enqueue(await reader.ReadToEndAsync());
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public override async Task DisposeAsync()
    {
        _webhook.Close();
        await base.DisposeAsync();
    }
}
