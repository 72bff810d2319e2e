using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Utilities;

namespace BreakGlass.Tests.Linear;

/// <summary>
/// The root fields the double executes: those BreakGlass's documents use. Every other field of
/// Linear's schema still validates, but a request that reaches one is refused by <see cref="LinearDouble"/>.
/// </summary>
internal static class LinearDoubleResolvers
{
    public static readonly IReadOnlySet<string> Executed = new HashSet<string>
    {
        "issue", "comment", "team", "issueLabels", "issueCreate", "commentCreate", "attachmentCreate",
    };

    public static void Configure(SchemaBuilder builder)
    {
        Query(builder, "issue", (workspace, context) => workspace.Issue(context.GetArgument<string>("id")));
        Query(builder, "comment", (workspace, context) => workspace.Comment(context.GetArgument<string?>("id")));
        Query(builder, "team", (workspace, context) => workspace.Team(context.GetArgument<string>("id")));
        Query(builder, "issueLabels", (workspace, context) =>
            workspace.Labels(Object(context, "filter"), context.GetArgument<int?>("first")));
        Mutation(builder, "issueCreate", (workspace, context) => workspace.CreateIssue(Input(context)));
        Mutation(builder, "commentCreate", (workspace, context) => workspace.CreateComment(Input(context)));
        Mutation(builder, "attachmentCreate", (workspace, context) => workspace.CreateAttachment(Input(context)));
    }

    private static void Query(SchemaBuilder builder, string field, Func<LinearWorkspace, IResolveFieldContext, object> resolve) =>
        On(builder, "Query", field, resolve);

    private static void Mutation(SchemaBuilder builder, string field, Func<LinearWorkspace, IResolveFieldContext, object> resolve) =>
        On(builder, "Mutation", field, resolve);

    private static void On(SchemaBuilder builder, string type, string field, Func<LinearWorkspace, IResolveFieldContext, object> resolve) =>
        builder.Types.For(type).FieldFor(field).Resolver =
            new FuncFieldResolver<object>(context => resolve((LinearWorkspace)context.RootValue!, context));

    private static IDictionary<string, object?> Input(IResolveFieldContext context) =>
        Object(context, "input") ?? throw LinearDoubleError.InvalidInput("input is required.");

    private static IDictionary<string, object?>? Object(IResolveFieldContext context, string argument) =>
        context.Arguments is { } arguments && arguments.TryGetValue(argument, out var value)
            ? value.Value as IDictionary<string, object?>
            : null;
}
