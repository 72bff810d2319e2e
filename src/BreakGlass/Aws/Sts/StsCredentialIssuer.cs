using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Observability;
using BreakGlass.Revocation;

namespace BreakGlass.Aws.Sts;

/// <summary>Mints a grant's credentials with sts:AssumeRole, tagged with the grant id that the revocation deny matches.</summary>
internal sealed class StsCredentialIssuer(IAmazonSecurityTokenService sts, ILogger<StsCredentialIssuer> logger)
{
    public async Task<IssuedCredentials> AssumeAsync(Grant grant, int durationSeconds, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleRequest
        {
            RoleArn = grant.RoleArn,
            RoleSessionName = AssumeRoleParameters.RoleSessionName(grant),
            SourceIdentity = AssumeRoleParameters.SourceIdentity(grant.Requester),
            DurationSeconds = durationSeconds,
            Tags = [new Tag { Key = DenyPolicy.GrantTagKey, Value = DenyPolicy.GrantTagValue(grant.Id) }],
            // A session tag is dropped when the session chains into another role unless it is transitive: the deny
            // must still match whatever role the engineer chains into (docs/revocation.md).
            TransitiveTagKeys = [DenyPolicy.GrantTagKey],
        };
        using var span = Telemetry.ForGrant(logger, grant.Id, "sts AssumeRole");
        try
        {
            var response = await sts.AssumeRoleAsync(request, cancellationToken);
            var credentials = response.Credentials;
            return new IssuedCredentials(
                credentials.AccessKeyId,
                credentials.SecretAccessKey,
                credentials.SessionToken,
                new DateTimeOffset(DateTime.SpecifyKind(credentials.Expiration ?? DateTime.UtcNow.AddSeconds(durationSeconds), DateTimeKind.Utc)));
        }
        catch (AmazonServiceException exception)
        {
            AwsLog.StsRefused(logger, grant.Id, grant.RoleArn, exception.ErrorCode, exception.Message);
            throw new UpstreamException($"AWS STS refused to issue credentials for {grant.RoleArn}: {exception.ErrorCode}: {exception.Message}");
        }
        catch (Exception exception) when (exception is AmazonClientException or HttpRequestException or IOException
                                          || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            AwsLog.StsUnreachable(logger, grant.Id, exception.Message);
            throw new UpstreamException($"AWS STS could not be reached: {exception.Message}");
        }
    }
}
