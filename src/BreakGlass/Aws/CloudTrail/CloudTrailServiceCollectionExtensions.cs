namespace BreakGlass.Aws.CloudTrail;

internal static class CloudTrailServiceCollectionExtensions
{
    /// <summary>Registers <see cref="CloudTrailClient"/> over the registered <see cref="AwsEnvironment"/>.</summary>
    public static IServiceCollection AddCloudTrailClient(this IServiceCollection services) =>
        services.AddSingleton(provider => CloudTrailClient.Create(
            provider.GetRequiredService<AwsEnvironment>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<ILogger<CloudTrailClient>>()));
}
