namespace BreakGlass.Revocation;

/// <summary>IAM accepted a deny write but does not hold what was written: the write does not count as done.</summary>
internal sealed class DenyVerificationException(string roleArn)
    : Exception($"The deny on {roleArn} read back from IAM is not the document that was written.");
