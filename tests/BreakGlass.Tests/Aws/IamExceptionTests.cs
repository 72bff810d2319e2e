using System.Net;
using BreakGlass.Aws.Iam;

namespace BreakGlass.Tests.Aws;

public sealed class IamExceptionTests
{
    [Fact]
    public void NoSuchEntityCarriesCodeMessageAndRequestId()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.NotFound,
            IamErrorBody.Sender("NoSuchEntity", "The role policy with name BreakGlassRevocations cannot be found.", "8f6a3c52-0d4b-4e8a-9d1e-7b2c5f0a9e31"));

        Assert.Equal(IamException.NoSuchEntity, error.Code);
        Assert.Equal("The role policy with name BreakGlassRevocations cannot be found.", error.ServiceMessage);
        Assert.Equal("NoSuchEntity: The role policy with name BreakGlassRevocations cannot be found.", error.Message);
        Assert.Equal("8f6a3c52-0d4b-4e8a-9d1e-7b2c5f0a9e31", error.RequestId);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsThrottling);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void ThrottlingIsThrottlingAndTransient()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.BadRequest, IamErrorBody.Sender("Throttling", "Rate exceeded", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"));

        Assert.Equal("Throttling", error.Code);
        Assert.True(error.IsThrottling);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void AMalformedPolicyIsTheCallersFaultAndNotRetried()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.BadRequest,
            IamErrorBody.Sender("MalformedPolicyDocument", "Syntax errors in policy.", "0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a"));

        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void LimitExceededIsAQuotaNotARateAndIsNotRetried()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.Conflict,
            IamErrorBody.Sender("LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role BreakGlassAdmin", "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b"));

        Assert.Equal("LimitExceeded", error.Code);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.False(error.IsThrottling);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void AccessDeniedIsNotRetried()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.Forbidden,
            IamErrorBody.Sender(
                "AccessDenied",
                "User: arn:aws:sts::123456789012:assumed-role/BreakGlassAdmin/bg-alice-0b3f6c1e is not authorized to perform: iam:PutRolePolicy on resource: role BreakGlassAdmin with an explicit deny in an identity-based policy",
                "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"));

        Assert.Equal("AccessDenied", error.Code);
        Assert.StartsWith("User: arn:aws:sts::123456789012:assumed-role/", error.ServiceMessage);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void AServiceFailureIsTransientButNotThrottling()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.InternalServerError,
            IamErrorBody.Sender("ServiceFailure", "Request processing has failed due to some unknown error, exception or failure.", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"));

        Assert.True(error.IsTransient);
        Assert.False(error.IsThrottling);
    }

    [Fact]
    public void MotosAuthenticationErrorsWithTheirErrorsWrapperAndNoRequestIdAreParsed()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.Forbidden,
            """<?xml version="1.0" encoding="utf-8"?>""" + "\n"
            + "<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message><Type>Sender</Type></Error></Errors></ErrorResponse>");

        Assert.Equal("InvalidClientTokenId", error.Code);
        Assert.Equal("The security token included in the request is invalid.", error.ServiceMessage);
        Assert.Null(error.RequestId);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void AnHtmlPageFromAProxyStillYieldsAnErrorWithItsStatus()
    {
        var error = IamException.FromResponse(
            HttpStatusCode.ServiceUnavailable, "<html>\n<body><h1>503 Service Temporarily Unavailable</h1></body>\n</html>");

        Assert.Equal("Http503", error.Code);
        Assert.Contains("503 Service Temporarily Unavailable", error.ServiceMessage);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void AnEmptyBodyWithTooManyRequestsIsThrottling()
    {
        var error = IamException.FromResponse(HttpStatusCode.TooManyRequests, "");

        Assert.True(error.IsThrottling);
        Assert.True(error.IsTransient);
    }
}
