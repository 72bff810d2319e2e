using BreakGlass.LocalAws.CloudTrail;
using BreakGlass.LocalAws.Iam;
using BreakGlass.LocalAws.Proxy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace BreakGlass.LocalAws;

/// <summary>
/// A local AWS front for moto: it forwards every AWS call to moto and records it as a CloudTrail event,
/// and answers CloudTrail's LookupEvents (which moto lacks) from those records.
/// </summary>
/// <remarks>
/// Accounts: moto keeps each account's state apart, and credentials from an AssumeRole into account X's role act on
/// X's state. The front follows: a call made with a session it saw issued is recorded in that session's account, a
/// caller's LookupEvents sees only its own account's recorded calls and is rate-limited per account and region, and
/// IAM enforcement (<see cref="Iam.IamEnforcement"/>) works in each account the front has an administrator for.
/// Not modelled: keys the front did not see issued (users made straight in moto) all count as the front's own
/// account; seeded events are returned in every account; organizations, SCPs and organization trails do not exist;
/// a cross-account trust policy is checked only for the role's existence and its <c>sts:ExternalId</c>.
/// </remarks>
internal static class LocalAwsApp
{
    /// <summary>Starts the front in this process on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<LocalAwsHost> StartAsync(int port, Uri motoEndpoint, LocalAwsOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = Build(builder, motoEndpoint, options ?? new LocalAwsOptions());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LocalAwsHost(app, new Uri(address));
    }

    public static WebApplication Build(WebApplicationBuilder builder, Uri motoEndpoint, LocalAwsOptions options)
    {
        // S3 uploads stream through to moto rather than being buffered, so they need no size cap here.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<LookupThrottle>();
        builder.Services.AddSingleton<KnownIdentities>();
        builder.Services.AddSingleton<CallRecorder>();
        builder.Services.AddSingleton<LookupEventsEndpoint>();
        builder.Services.AddSingleton(new MotoProxy(motoEndpoint));
        builder.Services.AddSingleton<IssuedSessions>();
        builder.Services.AddSingleton(new MotoAdmins(motoEndpoint, options));
        builder.Services.AddSingleton<IamEnforcement>();
        builder.Services.AddSingleton<AwsFront>();

        var app = builder.Build();
        app.MapPost(SeedEventsEndpoint.Path, SeedEventsEndpoint.HandleAsync);
        app.Map("{**path}", (RequestDelegate)(context => context.RequestServices.GetRequiredService<AwsFront>().HandleAsync(context)));
        return app;
    }
}
