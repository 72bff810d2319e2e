using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.SecurityToken;
using BreakGlass.LocalAws;
using Npgsql;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// One running BreakGlass per test class, wired to real components: its own PostgreSQL database, its own
/// moto_server with signature and IAM policy enforcement on, and a throwaway IdP whose JWKS it trusts.
/// A subclass may put the LocalAws front before moto, so every AWS call is recorded as a CloudTrail event.
/// </summary>
public class BreakGlassFixture : IAsyncLifetime
{
    public const string AdminRole = "prod-admin";
    public const string TicketRole = "prod-billing";
    /// <summary>A role only the SRE leads group may use: requesters outside it are refused by policy.</summary>
    public const string LeadsOnlyRole = "prod-root";
    public const string LeadsGroup = "sre-leads";

    /// <summary>
    /// moto ignores policy conditions: once one grant on a role is revoked, every session of that role is refused.
    /// A test that needs a session to stay honoured while others are revoked takes a role of its own.
    /// </summary>
    private const int DedicatedRoleCount = 12;

    private readonly List<BreakGlassProcess> _instances = [];
    private int _dedicatedRolesTaken;

    internal MotoServer Moto { get; } = new();
    internal TestIdentityProvider Idp { get; } = new();
    internal AwsSandbox Aws { get; private set; } = null!;
    /// <summary>The LocalAws front the service's AWS calls go through, when <see cref="LocalAwsFront"/> asks for one.</summary>
    internal LocalAwsHost? Front { get; private set; }
    /// <summary>Where AWS calls go: the front when there is one, else moto itself.</summary>
    internal Uri AwsEndpoint => Front?.BaseUrl ?? Moto.Endpoint;
    /// <summary>The database as its owner (the migrations role): for tests that inspect or tamper with it.</summary>
    internal string ConnectionString { get; private set; } = "";
    /// <summary>The same database as the service logs in to: data access only.</summary>
    internal string ServiceConnectionString { get; private set; } = "";
    /// <summary>The newest instance: after a crash test restarts the service, the restarted one.</summary>
    internal BreakGlassProcess Service => _instances[^1];

    /// <summary>Every line any instance logged, for the secret scan.</summary>
    internal ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Extra configuration for a subclass of tests (e.g. a shorter sweep).</summary>
    internal Dictionary<string, string> Overrides { get; } = new();

    /// <summary>The first instance's port, for setup that must name it in advance (a redirect URI registered at an IdP).</summary>
    private protected int? FirstInstancePort { get; set; }

    /// <summary>Settings of a LocalAws front to start before moto; null for none.</summary>
    private protected virtual LocalAwsOptions? LocalAwsFront => null;

    public virtual async Task InitializeAsync()
    {
        await Moto.InitializeAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        Aws = await CreateSandboxAsync(
            [$"prod-admin-{suffix}", $"prod-billing-{suffix}", .. Enumerable.Range(0, DedicatedRoleCount).Select(index => $"dedicated-{index}-{suffix}")]);
        await Moto.EnforceAuthenticationAsync();
        if (LocalAwsFront is { } frontOptions) Front = await LocalAwsApp.StartAsync(0, Moto.Endpoint, frontOptions);
        var postgres = await PostgresServer.GetAsync();
        ConnectionString = await postgres.CreateDatabaseAsync();
        ServiceConnectionString = postgres.ServiceConnectionString(ConnectionString);
        await BeforeServiceStartsAsync();
        await StartInstanceAsync();
    }

    /// <summary>The AWS side, made in moto before authentication is enforced.</summary>
    private protected virtual Task<AwsSandbox> CreateSandboxAsync(IReadOnlyList<string> roleNames) => AwsSandbox.CreateAsync(Moto, roleNames);

    /// <summary>Last setup with moto enforcing and the front running, before the service starts.</summary>
    private protected virtual Task BeforeServiceStartsAsync() => Task.CompletedTask;

    internal IDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__BreakGlass"] = ServiceConnectionString,
            ["ConnectionStrings__BreakGlassMigrations"] = ConnectionString,
            ["Auth__SigningKeysFile"] = Idp.JwksFile,
            ["Auth__Issuer"] = TestIdentityProvider.Issuer,
            ["Auth__Audience"] = TestIdentityProvider.Audience,
            ["Auth__Groups__Requester__0"] = TestIdentityProvider.RequesterGroup,
            ["Auth__Groups__Reviewer__0"] = TestIdentityProvider.ReviewerGroup,
            ["Auth__Groups__Auditor__0"] = TestIdentityProvider.AuditorGroup,
            ["Roles__0__Name"] = AdminRole,
            ["Roles__0__RoleArn"] = Aws.RoleArns[0],
            ["Roles__0__MaxDurationMinutes"] = "240",
            ["Roles__0__AllowedGroups__0"] = TestIdentityProvider.RequesterGroup,
            ["Roles__1__Name"] = TicketRole,
            ["Roles__1__RoleArn"] = Aws.RoleArns[1],
            ["Roles__1__MaxDurationMinutes"] = "60",
            ["Roles__1__AllowedGroups__0"] = TestIdentityProvider.RequesterGroup,
            ["Roles__1__RequireTicket"] = "true",
            ["Roles__14__Name"] = LeadsOnlyRole,
            ["Roles__14__RoleArn"] = Aws.RoleArns[1],
            ["Roles__14__AllowedGroups__0"] = LeadsGroup,
            ["Revocation__SweepIntervalSeconds"] = "2",
            ["Policy__WindowCeilingMinutes"] = "240",
            ["RateLimits__GrantRequestsPerMinute"] = "30",
            ["AWS_ENDPOINT_URL"] = AwsEndpoint.ToString(),
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = Aws.BrokerAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = Aws.BrokerSecretAccessKey,
        };
        for (var index = 0; index < DedicatedRoleCount; index++)
        {
            environment[$"Roles__{index + 2}__Name"] = DedicatedRoleName(index);
            environment[$"Roles__{index + 2}__RoleArn"] = Aws.RoleArns[index + 2];
            environment[$"Roles__{index + 2}__AllowedGroups__0"] = TestIdentityProvider.RequesterGroup;
        }
        foreach (var (key, value) in Overrides) environment[key] = value;
        return environment;
    }

    /// <summary>A role no other test of this class uses (see <see cref="DedicatedRoleCount"/>).</summary>
    internal string TakeDedicatedRole()
    {
        var index = Interlocked.Increment(ref _dedicatedRolesTaken) - 1;
        if (index >= DedicatedRoleCount) throw new InvalidOperationException("raise DedicatedRoleCount: more tests need a role of their own");
        return DedicatedRoleName(index);
    }

    internal string RoleArnOf(string roleName) =>
        roleName == AdminRole ? Aws.RoleArns[0]
        : roleName == TicketRole ? Aws.RoleArns[1]
        : Aws.RoleArns[2 + int.Parse(roleName.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)];

    private static string DedicatedRoleName(int index) => $"dedicated-{index}";

    /// <summary>Starts another instance on the same database (several instances may share one).</summary>
    internal async Task<BreakGlassProcess> StartInstanceAsync()
    {
        var instance = new BreakGlassProcess(Environment(), Log, _instances.Count == 0 ? FirstInstancePort : null);
        _instances.Add(instance);
        await instance.StartAsync();
        return instance;
    }

    internal HttpClient Client(string? token, BreakGlassProcess? instance = null)
    {
        var client = new HttpClient { BaseAddress = (instance ?? Service).BaseAddress, Timeout = Eventually.Patience };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>An STS client signing with the given credentials against moto (what the engineer's AWS CLI would do).</summary>
    internal AmazonSecurityTokenServiceClient StsAs(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public virtual async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        if (Front is not null) await Front.DisposeAsync();
        await Moto.DisposeAsync();
    }
}
