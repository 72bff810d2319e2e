using BreakGlass.Drills;
using BreakGlass.Policy;
using Microsoft.Extensions.Options;

namespace BreakGlass.Tests.Drills;

public sealed class DrillsOptionsTests
{
    private static readonly PolicyOptions Policy = new()
    {
        Roles = [new BreakGlassRole { Name = "breakglass-drill", RoleArn = "arn:aws:iam::123456789012:role/breakglass-drill", MaxDurationMinutes = 15, AllowedGroups = ["nobody"] }],
    };

    [Fact]
    public void WithoutADrillRoleThereAreNoDrillsAndNothingToRefuse()
    {
        var options = new DrillsOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Null(options.Schedule);
        Assert.False(options.FileTicket);
    }

    [Fact]
    public void ADrillRoleFromRolesWithinItsWindowIsAccepted() =>
        Assert.True(Validate(new DrillsOptions { Role = "BreakGlass-Drill", Schedule = "0 7 * * 1" }).Succeeded);

    [Theory]
    [InlineData("no-such-role", null, 15, "is not one of the configured Roles")]
    [InlineData(null, "0 7 * * 1", 15, "Drills:Schedule is set but Drills:Role is not")]
    [InlineData("breakglass-drill", null, 16, "longer than 'breakglass-drill' allows (15)")]
    public void AnUnworkableDrillSettingIsRefusedOnStart(string? role, string? schedule, int minutes, string expected)
    {
        var result = Validate(new DrillsOptions { Role = role, Schedule = schedule, DurationMinutes = minutes });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(DrillsOptions options) =>
        new DrillsOptionsValidation(Options.Create(Policy)).Validate(null, options);
}
