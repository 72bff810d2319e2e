namespace BreakGlass.Tests.Aws;

internal static class IamErrorBody
{
    /// <summary>An error body as IAM sends it (namespace, Type, Code, Message, RequestId).</summary>
    public static string Sender(string code, string message, string requestId) =>
        $"""
        <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <Error>
            <Type>Sender</Type>
            <Code>{code}</Code>
            <Message>{message}</Message>
          </Error>
          <RequestId>{requestId}</RequestId>
        </ErrorResponse>
        """;
}
