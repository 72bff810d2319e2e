namespace BreakGlass.Aws.Sts;

/// <summary>Credentials returned once to the engineer. The secret parts are never stored or logged.</summary>
internal sealed record IssuedCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    // A record's generated ToString would print the secrets into any log line that formats this object.
    public override string ToString() => $"IssuedCredentials {{ AccessKeyId = {AccessKeyId}, Expiration = {Expiration:O} }}";
}
