using System.Text;
using BreakGlass.Notifications;

namespace BreakGlass.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    private const string Body = """{"id":"x","type":"grant.issued"}""";

    [Fact]
    public void TheSignatureIsTheHexHmacOfTimestampDotBody() =>
        // Computed apart from .NET: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec-test-secret', b'1767225600.' + body, hashlib.sha256).hexdigest())"
        Assert.Equal("sha256=191a28d6d0a0d7fa3317d1233f7614d9d62dbe6dee3468afcd173fa306660c6b",
            WebhookSignature.Sign("whsec-test-secret", 1767225600, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void AReceiverRefusesAReplayedBodyOnceItsTimestampIsOutsideTheTolerance()
    {
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(1767225600);
        var body = Encoding.UTF8.GetBytes(Body);
        var signature = WebhookSignature.Sign("whsec-test-secret", sentAt.ToUnixTimeSeconds(), body);

        Assert.True(WebhookReceiver.Verify("whsec-test-secret", "1767225600", signature, body, sentAt.AddMinutes(4)));
        Assert.False(WebhookReceiver.Verify("whsec-test-secret", "1767225600", signature, body, sentAt.AddMinutes(6)));
        Assert.False(WebhookReceiver.Verify("whsec-test-secret", "1767225601", signature, body, sentAt), "the timestamp is signed too");
        Assert.False(WebhookReceiver.Verify("another-secret", "1767225600", signature, body, sentAt));
    }
}
