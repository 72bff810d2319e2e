using System.Text;
using BreakGlass.Accounts;
using BreakGlass.Auth;
using BreakGlass.Evidence;
using BreakGlass.Policy;
using BreakGlass.WrittenPolicy;
using BreakGlass.Reviews;
using BreakGlass.Revocation;
using BreakGlass.Tickets.Linear;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BreakGlass.Tests.WrittenPolicy;

/// <summary>The version changes exactly when the policy does: not on key order, list order, secrets or who deployed it.</summary>
public sealed class PolicyVersionTests
{
    private const string Baseline =
        """
        {
          "Auth": { "RoleClaim": "groups", "Groups": { "Requester": ["oncall"], "Reviewer": ["security", "cto"], "Auditor": ["audit"] },
                    "Web": { "ClientId": "web", "ClientSecret": "web-secret-1" } },
          "Policy": { "WindowCeilingMinutes": 240, "MaxOpenGrantsPerRequester": 2 },
          "Roles": [
            { "Name": "prod-admin", "RoleArn": "arn:aws:iam::111122223333:role/Admin", "MaxDurationMinutes": 240, "AllowedGroups": ["oncall", "sre"] },
            { "Name": "prod-billing", "RoleArn": "arn:aws:iam::111122223333:role/Billing", "MaxDurationMinutes": 60, "AllowedGroups": ["oncall"], "RequireTicket": true }
          ],
          "Linear": { "ApiKey": "lin_api_secret_1", "TeamId": "team-1", "Labels": ["break-glass", "security"], "ApiUrl": "https://api.linear.app/graphql" },
          "Accounts": [ { "Id": "444455556666", "AgentRoleArn": "arn:aws:iam::444455556666:role/BreakGlassAgent", "ExternalId": "external-1" } ],
          "Notifications": {
            "Slack": { "BotToken": "xoxb-secret-1", "Channel": "#break-glass" },
            "Webhooks": [ { "Url": "https://hooks.example.com/breakglass/abc?token=query-secret-1", "Secret": "hmac-secret-1", "Events": ["grant.issued", "grant.ended"] } ]
          },
          "Drills": { "Role": "prod-billing", "Schedule": "0 6 * * 1" }
        }
        """;

    private const string SameInAnotherOrder =
        """
        {
          "Drills": { "Schedule": "0 6 * * 1", "Role": "prod-billing" },
          "Notifications": {
            "Webhooks": [ { "Events": ["grant.ended", "grant.issued"], "Secret": "hmac-secret-1", "Url": "https://hooks.example.com/breakglass/abc?token=query-secret-1" } ],
            "Slack": { "Channel": "#break-glass", "BotToken": "xoxb-secret-1" }
          },
          "Accounts": [ { "AgentRoleArn": "arn:aws:iam::444455556666:role/BreakGlassAgent", "Id": "444455556666", "ExternalId": "external-1" } ],
          "Linear": { "Labels": ["security", "break-glass"], "TeamId": "team-1", "ApiKey": "lin_api_secret_1", "ApiUrl": "https://api.linear.app/graphql" },
          "Roles": [
            { "RequireTicket": true, "AllowedGroups": ["oncall"], "MaxDurationMinutes": 60, "RoleArn": "arn:aws:iam::111122223333:role/Billing", "Name": "prod-billing" },
            { "AllowedGroups": ["sre", "oncall"], "MaxDurationMinutes": 240, "RoleArn": "arn:aws:iam::111122223333:role/Admin", "Name": "prod-admin" }
          ],
          "Policy": { "MaxOpenGrantsPerRequester": 2, "WindowCeilingMinutes": 240 },
          "Auth": { "Web": { "ClientSecret": "web-secret-1", "ClientId": "web" },
                    "Groups": { "Auditor": ["audit"], "Reviewer": ["cto", "security"], "Requester": ["oncall"] }, "RoleClaim": "groups" }
        }
        """;

    [Fact]
    public void TheSameConfigurationInAnotherKeyAndListOrderHasTheSameVersion()
    {
        var first = Generate(Baseline);
        var second = Generate(SameInAnotherOrder);

        Assert.Equal(first.CanonicalJson, second.CanonicalJson);
        Assert.Equal(first.Version, second.Version);
        Assert.Equal(first.Markdown, second.Markdown);
    }

    [Fact]
    public void GeneratingTwiceFromOneConfigurationGivesOneVersion()
    {
        Assert.Equal(Generate(Baseline).Version, Generate(Baseline).Version);
        Assert.Matches("^[0-9a-f]{64}$", Generate(Baseline).Version);
    }

    [Fact]
    public void TheVersionIsTheSha256OfTheCanonicalJson()
    {
        var policy = Generate(Baseline);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(policy.CanonicalJson))), policy.Version);
    }

    public static TheoryData<string, string> MeaningfulChanges => new()
    {
        { "a role's longest window", """{ "Roles": { "0": { "MaxDurationMinutes": 120 } } }""" },
        { "a role's groups", """{ "Roles": { "0": { "AllowedGroups": { "2": "contractors" } } } }""" },
        { "a role's ticket rule", """{ "Roles": { "0": { "RequireTicket": true } } }""" },
        { "a new role", """{ "Roles": { "2": { "Name": "prod-read", "RoleArn": "arn:aws:iam::111122223333:role/Read", "AllowedGroups": ["oncall"] } } }""" },
        { "the reviewers", """{ "Auth": { "Groups": { "Reviewer": { "2": "everyone" } } } }""" },
        { "the review deadline", """{ "Review": { "DueAfterHours": 48 } }""" },
        { "the deny check", """{ "Revocation": { "VerifySeconds": 600 } }""" },
        { "the open-grant cap", """{ "Policy": { "MaxOpenGrantsPerRequester": 5 } }""" },
        { "the ticket team", """{ "Linear": { "TeamId": "team-2" } }""" },
        { "a notification route", """{ "Notifications": { "Webhooks": { "0": { "Url": "https://elsewhere.example.net/hook" } } } }""" },
        { "the notified events", """{ "Notifications": { "Webhooks": { "0": { "Events": { "2": "review.overdue" } } } } }""" },
        { "the drill role", """{ "Drills": { "Role": "prod-admin" } }""" },
        { "a member account", """{ "Accounts": { "0": { "AgentRoleArn": "arn:aws:iam::444455556666:role/OtherAgent" } } }""" },
    };

    [Theory]
    [MemberData(nameof(MeaningfulChanges))]
    public void AMeaningfulChangeMakesANewVersion(string change, string overlay)
    {
        Assert.True(Generate(Baseline).Version != Generate(Baseline, overlay).Version, $"changing {change} kept the version");
    }

    public static TheoryData<string, string> Irrelevant => new()
    {
        { "the Linear API key", """{ "Linear": { "ApiKey": "lin_api_secret_2" } }""" },
        { "the Linear API address", """{ "Linear": { "ApiUrl": "http://127.0.0.1:5999/graphql" } }""" },
        { "the web client secret", """{ "Auth": { "Web": { "ClientSecret": "web-secret-2" } } }""" },
        { "the Slack bot token", """{ "Notifications": { "Slack": { "BotToken": "xoxb-secret-2" } } }""" },
        { "a webhook's signing secret", """{ "Notifications": { "Webhooks": { "0": { "Secret": "hmac-secret-2" } } } }""" },
        { "a webhook's path and query", """{ "Notifications": { "Webhooks": { "0": { "Url": "https://hooks.example.com/other?token=query-secret-2" } } } }""" },
        { "an account's external id", """{ "Accounts": { "0": { "ExternalId": "external-2" } } }""" },
        { "who declared the change", """{ "Policy": { "ChangedBy": "alice@example.com" } }""" },
        { "the Kestrel address", """{ "Urls": "http://0.0.0.0:8081" }""" },
        { "how often notifications are swept", """{ "Notifications": { "SweepIntervalSeconds": 30, "RequestTimeoutSeconds": 3 } }""" },
    };

    [Theory]
    [MemberData(nameof(Irrelevant))]
    public void SecretsAndSettingsOutsideThePolicyKeepTheVersion(string change, string overlay)
    {
        Assert.True(Generate(Baseline).Version == Generate(Baseline, overlay).Version, $"changing {change} made a new version");
    }

    [Fact]
    public void NoSecretReachesTheDocument()
    {
        var policy = Generate(Baseline);

        foreach (var secret in new[] { "web-secret-1", "lin_api_secret_1", "xoxb-secret-1", "hmac-secret-1", "query-secret-1", "external-1", "/breakglass/abc" })
        {
            Assert.DoesNotContain(secret, policy.CanonicalJson, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, policy.Markdown, StringComparison.Ordinal);
        }
        Assert.Contains("https://hooks.example.com", policy.Markdown, StringComparison.Ordinal);
        Assert.Contains("`#break-glass`", policy.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMarkdownStatesTheRulesInForce()
    {
        var markdown = Generate(Baseline).Markdown;

        Assert.Contains("| `prod-admin` | `111122223333` | `arn:aws:iam::111122223333:role/Admin` | `oncall`, `sre` | 4 h | optional |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `prod-billing` | `111122223333` | `arn:aws:iam::111122223333:role/Billing` | `oncall` | 1 h | required |", markdown, StringComparison.Ordinal);
        Assert.Contains("within 24 h", markdown, StringComparison.Ordinal);
        Assert.Contains("**Reviewers** (sign off or flag grants, end grants, approve this policy): `cto`, `security`", markdown, StringComparison.Ordinal);
        Assert.Contains("files one in team `team-1` with the labels `break-glass`, `security`", markdown, StringComparison.Ordinal);
        Assert.Contains("a real break-glass into `prod-billing`", markdown, StringComparison.Ordinal);
        Assert.Contains("| `444455556666` | `arn:aws:iam::444455556666:role/BreakGlassAgent` |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredTextCannotInjectMarkdownOrHtml()
    {
        var markdown = Generate(Baseline, """{ "Roles": { "0": { "AllowedGroups": { "0": "x` [click](https://evil.example) <script>alert(1)</script> | y" } } } }""").Markdown;

        Assert.Contains("`x' [click](https://evil.example) <script>alert(1)</script> \\| y`", markdown, StringComparison.Ordinal);
    }

    /// <summary>The policy generated from JSON configuration (later overlays win), through the options the service binds.</summary>
    internal static GeneratedPolicy Generate(params string[] jsonLayers)
    {
        var builder = new ConfigurationBuilder();
        foreach (var json in jsonLayers) builder.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        var configuration = builder.Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddEligibilityPolicy(configuration);
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section));
        services.AddOptions<RevocationOptions>().Bind(configuration.GetSection(RevocationOptions.Section));
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.Section));
        services.AddOptions<LinearOptions>().BindConfiguration(LinearOptions.Section);
        services.AddOptions<AccountsOptions>().Configure(options => configuration.GetSection(AccountsOptions.Section).Bind(options.Accounts));
        services.AddSingleton<CurrentPolicy>();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<CurrentPolicy>().Get();
    }
}
