namespace BreakGlass.LocalAws.Proxy;

/// <summary>
/// A call's outcome and the answer still to be sent. The front records the call between the two, so a
/// caller holding its answer can already find the call in LookupEvents.
/// </summary>
internal sealed class PendingAnswer(CallOutcome outcome, Func<HttpResponse, CancellationToken, Task> write, IDisposable? owned = null) : IDisposable
{
    public CallOutcome Outcome { get; } = outcome;

    public Task WriteAsync(HttpResponse response, CancellationToken cancellationToken) => write(response, cancellationToken);

    public void Dispose() => owned?.Dispose();
}
