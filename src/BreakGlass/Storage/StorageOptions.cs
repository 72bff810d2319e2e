namespace BreakGlass.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Run the schema migrations when the service starts (operators may prefer <c>--migrate-only</c> in a deploy step).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
