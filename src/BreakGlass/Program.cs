using System.Text.Json.Serialization;
using BreakGlass.Accounts;
using BreakGlass.Audit;
using BreakGlass.Auth;
using BreakGlass.Aws;
using BreakGlass.Drills;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Health;
using BreakGlass.Jobs;
using BreakGlass.Notifications;
using BreakGlass.Observability;
using BreakGlass.Policy;
using BreakGlass.Preflight;
using BreakGlass.Reports;
using BreakGlass.Reviews;
using BreakGlass.Revocation;
using BreakGlass.Storage;
using BreakGlass.Tickets;
using BreakGlass.Web;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
DapperSetup.Configure();

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    json.SerializerOptions.Converters.Add(new TextInput.NulRefusingStringConverter());
});
// Binding failures reach the exception handler, which says what was wrong instead of an empty 400.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
builder.Services
    .AddSingleton(TimeProvider.System)
    .AddProblems()
    .AddOpenApi()
    .AddObservability(builder.Configuration)
    .AddStorage(builder.Configuration)
    .AddJobs(builder.Configuration)
    .AddBreakGlassAuth(builder.Configuration)
    .AddAws()
    .AddAccounts(builder.Configuration)
    .AddAudit()
    .AddEligibilityPolicy(builder.Configuration)
    .AddGrants(builder.Configuration)
    .AddRevocation(builder.Configuration)
    .AddTickets(builder.Configuration)
    .AddEvidence(builder.Configuration)
    .AddReviews(builder.Configuration)
    .AddNotifications(builder.Configuration)
    .AddReports()
    .AddPreflight(builder.Configuration)
    .AddDrills(builder.Configuration)
    .AddWebPages(builder.Configuration)
    .AddHealth();

var app = builder.Build();

var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
if (storage.MigrateOnStart || args.Contains("--migrate-only"))
{
    await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
}
if (args.Contains("--migrate-only"))
{
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebPages();
// After the status-code pages, so a re-executed status page is routed to its endpoint.
app.UseRouting();
app.UseGrantTelemetry();
app.UseAuthentication();
app.UseAuthorization();
app.UseTextInputGuard();
app.UseRateLimiter();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapHealth();
app.MapMetrics();
app.MapSignInConfiguration();
app.MapGrants();
app.MapRevokeAll();
app.MapReviews();
app.MapAudit();
app.ScheduleReviewReminder();
app.MapEvidence();
app.MapPreflight();
app.SchedulePreflight();
app.MapDrills();
app.ScheduleDrills();
app.MapWebPages();

app.Run();
