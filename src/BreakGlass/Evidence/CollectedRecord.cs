using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Evidence;

/// <summary>A record one of the sources found, and what the source adds to the record itself.</summary>
/// <param name="Source">"lookup" or "s3".</param>
/// <param name="ResourceNames">Resource names the source resolved besides the record's own <c>resources</c> ARNs.</param>
internal sealed record CollectedRecord(CloudTrailRecord Record, string Source, IReadOnlyList<string> ResourceNames)
{
    public const string Lookup = "lookup";
    public const string S3 = "s3";
}
