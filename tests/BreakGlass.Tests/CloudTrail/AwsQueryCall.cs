using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using BreakGlass.Aws;

namespace BreakGlass.Tests.CloudTrail;

/// <summary>A SigV4-signed Query-protocol call (IAM, STS), the way the AWS CLI makes one.</summary>
internal static class AwsQueryCall
{
    public static async Task<(int Status, XDocument Body)> SendAsync(
        Uri endpoint, AWSCredentials credentials, string service, string action, string version, params (string Name, string Value)[] parameters)
    {
        var aws = new AwsEnvironment(credentials, RegionEndpoint.USEast1, endpoint);
        using var http = new HttpClient(aws.SigningHandler(service, new SocketsHttpHandler()));
        http.DefaultRequestHeaders.UserAgent.ParseAdd("aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0");
        using var form = new FormUrlEncodedContent(
            parameters.Select(parameter => KeyValuePair.Create(parameter.Name, parameter.Value))
                .Prepend(KeyValuePair.Create("Version", version))
                .Prepend(KeyValuePair.Create("Action", action)));
        using var response = await http.PostAsync(endpoint, form);
        return ((int)response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    public static string ValueOf(this XDocument document, string name) =>
        document.Descendants().First(element => element.Name.LocalName == name).Value;
}
