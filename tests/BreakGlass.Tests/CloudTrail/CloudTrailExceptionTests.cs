using System.Net;
using System.Text;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Tests.CloudTrail;

public sealed class CloudTrailExceptionTests
{
    [Theory]
    [InlineData("""{"__type":"com.amazonaws.cloudtrail.v20131101#InvalidNextTokenException","message":"Invalid NextToken"}""", "InvalidNextTokenException", "Invalid NextToken")]
    [InlineData("""{"__type":"InvalidTimeRangeException","Message":"Start time is after end time"}""", "InvalidTimeRangeException", "Start time is after end time")]
    [InlineData("""{"Message":"Rate exceeded","__type":"ThrottlingException"}""", "ThrottlingException", "Rate exceeded")]
    public void TheErrorTypeAndMessageAreReadInEitherSpelling(string body, string errorCode, string message)
    {
        var error = CloudTrailException.FromResponse(HttpStatusCode.BadRequest, Encoding.UTF8.GetBytes(body), "req-1", errorTypeHeader: null);

        Assert.Equal(errorCode, error.ErrorCode);
        Assert.Equal(message, error.ErrorMessage);
        Assert.Equal("req-1", error.RequestId);
    }

    [Fact]
    public void ThrottlingIsRecognisedAndTransient()
    {
        var error = CloudTrailException.FromResponse(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}"""u8, null, null);

        Assert.True(error.IsThrottling);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void AValidationErrorIsNeitherThrottlingNorTransient()
    {
        var error = CloudTrailException.FromResponse(HttpStatusCode.BadRequest, """{"__type":"InvalidMaxResultsException"}"""u8, null, null);

        Assert.False(error.IsThrottling);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void ANonJsonServerErrorFallsBackToTheErrorTypeHeaderAndIsTransient()
    {
        var error = CloudTrailException.FromResponse(
            HttpStatusCode.ServiceUnavailable, "<html>Service Unavailable</html>"u8, null,
            errorTypeHeader: "ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.coral.service/");

        Assert.Equal("ServiceUnavailableException", error.ErrorCode);
        Assert.True(error.IsTransient);
    }
}
