using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using BreakGlass.Accounts;
using BreakGlass.Audit;
using BreakGlass.Aws;
using BreakGlass.Aws.Iam;
using BreakGlass.Aws.Sts;
using BreakGlass.Evidence;
using BreakGlass.Jobs;
using BreakGlass.Storage;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tickets;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BreakGlass.Tests.Evidence;

/// <summary>
/// The evidence feature as the service registers it, in this process: for driving passes directly (a re-run, the
/// benchmark) against a real database and a real LocalAws front. Jobs it schedules go to Hangfire's tables and
/// are never run here.
/// </summary>
internal sealed class EvidenceServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private EvidenceServices(ServiceProvider provider, string connectionString)
    {
        _provider = provider;
        ConnectionString = connectionString;
    }

    /// <summary>The service role's login, password included (a data source's <c>ConnectionString</c> drops it).</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource Database => _provider.GetRequiredService<NpgsqlDataSource>();
    public EvidenceCollector Collector => _provider.GetRequiredService<EvidenceCollector>();
    public EvidenceStore Store => _provider.GetRequiredService<EvidenceStore>();
    public EvidencePlanner Planner => _provider.GetRequiredService<EvidencePlanner>();
    public EvidenceSweeper Sweeper => _provider.GetRequiredService<EvidenceSweeper>();

    /// <summary>A service that <c>more</c> registered when starting.</summary>
    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <param name="connectionString">The database as its owner: the services log in as the service role, the migrations as the owner.</param>
    /// <param name="awsEndpoint">The LocalAws front (LookupEvents) and moto behind it (S3).</param>
    /// <param name="settings">Evidence settings, keys relative to the <c>Evidence</c> section (e.g. <c>S3:Bucket</c>).</param>
    /// <param name="more">Further features to register next to evidence (the register benchmark seeds tickets and reviews too).</param>
    public static async Task<EvidenceServices> StartAsync(
        string connectionString, Uri awsEndpoint, IReadOnlyDictionary<string, string>? settings = null, bool migrate = false,
        Action<IServiceCollection>? more = null)
    {
        DapperSetup.Configure();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection((settings ?? new Dictionary<string, string>())
                .Select(pair => KeyValuePair.Create<string, string?>($"{EvidenceOptions.Section}:{pair.Key}", pair.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        var serviceConnectionString = (await PostgresServer.GetAsync()).ServiceConnectionString(connectionString);
        services.AddSingleton(_ => NpgsqlDataSource.Create(serviceConnectionString));
        var aws = new AwsEnvironment(new BasicAWSCredentials("testing", "testing"), RegionEndpoint.USEast1, awsEndpoint);
        services.AddSingleton(aws);
        // No broker identity is resolved here: every session is read as the broker, in its own account.
        services.AddSingleton<IAmazonSecurityTokenService>(new AmazonSecurityTokenServiceClient(aws.Credentials,
            new AmazonSecurityTokenServiceConfig { ServiceURL = awsEndpoint.ToString(), AuthenticationRegion = "us-east-1" }));
        services.AddSingleton<BrokerIdentity>();
        services.AddIamClients();
        services.AddAccounts(configuration);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<TicketOutbox>();
        services.AddSingleton(provider => new DatabaseMigrator(
            provider.GetRequiredService<NpgsqlDataSource>(), connectionString, provider.GetRequiredService<ILogger<DatabaseMigrator>>()));
        services.AddSingleton<IBackgroundJobClient>(provider => new BackgroundJobClient(
            new PostgreSqlStorage(new HangfireConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>()), JobsSetup.StorageOptions())));
        services.AddEvidence(configuration);
        more?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        if (migrate) await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return new EvidenceServices(provider, serviceConnectionString);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
