using System.Net;
using BreakGlass.Aws;
using BreakGlass.Aws.Iam;
using BreakGlass.Revocation;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BreakGlass.Tests.Aws;

public sealed class IamClientTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private readonly AwsEnvironment _aws = MotoIam.Environment(moto, MotoIam.AnyCredentials);

    private Task<string> CreateRoleAsync() =>
        MotoIam.CreateRoleAsync(_aws, $"arn:aws:iam::{MotoIam.AccountId}:user/broker");

    private static string DenyDocument() =>
        DenyPolicy.Build([new(Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1))], TimeProvider.System).ToJson();

    [Fact]
    public async Task APutPolicyIsReadBackAsTheExactDocumentItWasGiven()
    {
        var iam = MotoIam.Client(_aws);
        var role = await CreateRoleAsync();
        var document = DenyDocument();

        await iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, document);

        Assert.Equal(document, await iam.GetRolePolicyAsync(role, DenyPolicy.PolicyName));
    }

    [Fact]
    public async Task SpacesPlusSignsAndPercentSignsSurviveTheFormAndUrlEncodings()
    {
        var iam = MotoIam.Client(_aws);
        var role = await CreateRoleAsync();
        var document = """{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c%20d"}]}""";

        await iam.PutRolePolicyAsync(role, "Odd", document);

        Assert.Equal(document, await iam.GetRolePolicyAsync(role, "Odd"));
    }

    [Fact]
    public async Task PuttingAgainReplacesThePolicy()
    {
        var iam = MotoIam.Client(_aws);
        var role = await CreateRoleAsync();
        var second = DenyDocument();

        await iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, DenyDocument());
        await iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, second);

        Assert.Equal(second, await iam.GetRolePolicyAsync(role, DenyPolicy.PolicyName));
    }

    [Fact]
    public async Task ADeletedPolicyReadsAsNullAndDeletingItAgainIsFine()
    {
        var iam = MotoIam.Client(_aws);
        var role = await CreateRoleAsync();
        await iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, DenyDocument());

        await iam.DeleteRolePolicyAsync(role, DenyPolicy.PolicyName);

        Assert.Null(await iam.GetRolePolicyAsync(role, DenyPolicy.PolicyName));
        await iam.DeleteRolePolicyAsync(role, DenyPolicy.PolicyName);
    }

    [Fact]
    public async Task APolicyThatWasNeverPutReadsAsNull()
    {
        var iam = MotoIam.Client(_aws);

        Assert.Null(await iam.GetRolePolicyAsync(await CreateRoleAsync(), DenyPolicy.PolicyName));
    }

    [Fact]
    public async Task PuttingOnARoleThatDoesNotExistFailsWithNoSuchEntity()
    {
        var iam = MotoIam.Client(_aws);

        var error = await Assert.ThrowsAsync<IamException>(
            () => iam.PutRolePolicyAsync(MotoIam.UniqueName("missing"), DenyPolicy.PolicyName, DenyDocument()));

        Assert.Equal(IamException.NoSuchEntity, error.Code);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task AMalformedDocumentFailsOnceWithoutRetrying()
    {
        var transport = new ScriptedTransport();
        var iam = MotoIam.Client(_aws, transport);
        var role = await CreateRoleAsync();

        var error = await Assert.ThrowsAsync<IamException>(
            () => iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, "{not json"));

        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.False(error.IsTransient);
        Assert.Equal(1, transport.Requests);
    }

    [Fact]
    public async Task ThrottlingAndADroppedConnectionAreRetriedUntilTheCallSucceeds()
    {
        var transport = new ScriptedTransport(ScriptedTransport.IamThrottling, ScriptedTransport.ConnectionReset, ScriptedTransport.IamThrottling);
        var iam = MotoIam.Client(_aws, transport);
        var role = await CreateRoleAsync();
        var document = DenyDocument();

        await iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, document);

        Assert.Equal(4, transport.Requests);
        Assert.Equal(document, await MotoIam.Client(_aws).GetRolePolicyAsync(role, DenyPolicy.PolicyName));
    }

    [Fact]
    public async Task ThrottlingThatOutlastsTheRetriesSurfacesAsAThrottlingError()
    {
        var transport = new ScriptedTransport(Enumerable.Repeat(ScriptedTransport.IamThrottling, 10).ToArray());
        var iam = MotoIam.Client(_aws, transport);

        var error = await Assert.ThrowsAsync<IamException>(() => iam.DeleteRolePolicyAsync("any", DenyPolicy.PolicyName));

        Assert.True(error.IsThrottling);
        Assert.Equal(1 + AwsRetry.MaxRetryAttempts, transport.Requests);
    }

    [Fact]
    public async Task TheClientsMadeByDependencyInjectionSignAndReachTheConfiguredEndpoint()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddIamClients();
        await using var provider = services.BuildServiceProvider();
        var iam = provider.GetRequiredService<IamClients>().For(_aws);
        var role = await CreateRoleAsync();
        var document = DenyDocument();

        await iam.PutRolePolicyAsync(role, DenyPolicy.PolicyName, document);

        Assert.Equal(document, await iam.GetRolePolicyAsync(role, DenyPolicy.PolicyName));
    }
}
