namespace BreakGlass.Tickets;

/// <summary>The <c>BreakGlass</c> section: how people reach this service, for links written into tickets.</summary>
internal sealed class PublicUrlOptions
{
    public const string Section = "BreakGlass";

    /// <summary>The service's base URL as seen by the people reading the ticket.</summary>
    public Uri PublicUrl { get; set; } = new("http://127.0.0.1:8080");

    public Uri GrantUrl(Guid grantId) => new(PublicUrl, $"{PublicUrl.AbsolutePath.TrimEnd('/')}/api/grants/{grantId}");

    /// <summary>The grant's web page (<c>/grants/{id}</c>), for people following a link from a notification.</summary>
    public Uri GrantPageUrl(Guid grantId) => new(PublicUrl, $"{PublicUrl.AbsolutePath.TrimEnd('/')}/grants/{grantId}");
}
