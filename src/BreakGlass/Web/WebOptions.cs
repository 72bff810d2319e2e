using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Web;

/// <summary>The <c>Web</c> section: what the pages link to.</summary>
internal sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>AWS's console federation endpoint (the CLI's <c>BREAKGLASS_FEDERATION_URL</c>); other partitions have their own.</summary>
    [Required] public Uri FederationUrl { get; set; } = new("https://signin.aws.amazon.com/federation");

    /// <summary>Where the console opens after sign-in.</summary>
    [Required] public Uri ConsoleUrl { get; set; } = new("https://console.aws.amazon.com/");
}
