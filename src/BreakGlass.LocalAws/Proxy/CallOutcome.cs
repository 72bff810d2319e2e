namespace BreakGlass.LocalAws.Proxy;

/// <summary>How a call ended. <see cref="Body"/> is kept only for the few responses that reveal who a key belongs to.</summary>
internal sealed record CallOutcome(int StatusCode, string? ErrorCode, string? ErrorMessage, string? RequestId, byte[]? Body = null);
