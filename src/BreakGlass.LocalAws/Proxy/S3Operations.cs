using System.Text.Json.Nodes;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>Names a path-style S3 REST request as CloudTrail does (<c>PUT /bucket?policy</c> is PutBucketPolicy).</summary>
internal static class S3Operations
{
    private static readonly string[] BucketSubresources =
    [
        "policy", "acl", "publicAccessBlock", "tagging", "versioning", "encryption", "lifecycle", "cors", "website",
        "logging", "notification", "replication", "ownershipControls", "location", "policyStatus", "object-lock",
        "uploads", "versions", "delete",
    ];

    private static readonly string[] ObjectSubresources = ["acl", "tagging", "uploads", "uploadId", "retention", "legal-hold", "restore", "attributes"];

    public static (string Action, JsonObject Parameters, bool IsDataEvent) Describe(HttpRequest request)
    {
        var path = (request.Path.Value ?? "/").TrimStart('/');
        var slash = path.IndexOf('/');
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? "" : path[(slash + 1)..];
        var parameters = new JsonObject { ["Host"] = request.Host.Value };
        if (bucket.Length == 0)
        {
            return ("ListBuckets", parameters, false);
        }
        parameters["bucketName"] = bucket;
        var isObject = key.Length > 0;
        var subresource = (isObject ? ObjectSubresources : BucketSubresources).FirstOrDefault(request.Query.ContainsKey);
        if (subresource is not null) parameters[subresource] = "";
        if (isObject) parameters["key"] = key;
        var action = isObject
            ? ObjectAction(request.Method, subresource, request.Headers.ContainsKey("x-amz-copy-source"))
            : BucketAction(request.Method, subresource);
        return (action, parameters, isObject);
    }

    private static string BucketAction(string method, string? subresource) => (method, subresource) switch
    {
        ("HEAD", _) => "HeadBucket",
        ("PUT", null) => "CreateBucket",
        ("DELETE", null) => "DeleteBucket",
        ("GET", null) => "ListObjects",
        ("GET", "uploads") => "ListMultipartUploads",
        ("GET", "versions") => "ListObjectVersions",
        ("POST", "delete") => "DeleteObjects",
        (_, "object-lock") => $"{Verb(method)}ObjectLockConfiguration",
        (_, { } name) => $"{Verb(method)}Bucket{char.ToUpperInvariant(name[0])}{name[1..]}",
        _ => $"{method} bucket",
    };

    private static string ObjectAction(string method, string? subresource, bool copy) => (method, subresource) switch
    {
        ("HEAD", _) => "HeadObject",
        ("GET", "uploadId") => "ListParts",
        ("GET", "attributes") => "GetObjectAttributes",
        ("GET", "legal-hold") => "GetObjectLegalHold",
        ("PUT", "uploadId") => copy ? "UploadPartCopy" : "UploadPart",
        ("PUT", "legal-hold") => "PutObjectLegalHold",
        ("PUT", "retention") => "PutObjectRetention",
        ("PUT", null) => copy ? "CopyObject" : "PutObject",
        ("DELETE", "uploadId") => "AbortMultipartUpload",
        ("DELETE", null) => "DeleteObject",
        ("POST", "uploads") => "CreateMultipartUpload",
        ("POST", "uploadId") => "CompleteMultipartUpload",
        ("POST", "restore") => "RestoreObject",
        ("POST", _) => "PostObject",
        ("GET", null) => "GetObject",
        (_, { } name) => $"{Verb(method)}Object{char.ToUpperInvariant(name[0])}{name[1..]}",
        _ => $"{method} object",
    };

    private static string Verb(string method) => method switch
    {
        "PUT" => "Put",
        "DELETE" => "Delete",
        _ => "Get",
    };
}
