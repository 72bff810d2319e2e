using System.Diagnostics;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace BreakGlass.Tests.Linear;

/// <summary>
/// Linear's published schema (schema.graphql, copied from linear/linear) turned into an executable
/// GraphQL.NET schema: built once per test run, shared by every <see cref="LinearDouble"/>.
/// </summary>
internal sealed class LinearDoubleSchema
{
    private static readonly Lazy<LinearDoubleSchema> Shared = new(Build);

    private LinearDoubleSchema(ISchema schema, TimeSpan parseTime, TimeSpan buildTime)
    {
        Schema = schema;
        ParseTime = parseTime;
        BuildTime = buildTime;
    }

    public static LinearDoubleSchema Instance => Shared.Value;

    public ISchema Schema { get; }

    /// <summary>How long GraphQL-Parser took to read the SDL.</summary>
    public TimeSpan ParseTime { get; }

    /// <summary>How long GraphQL.NET took to build and initialise the schema from it.</summary>
    public TimeSpan BuildTime { get; }

    public static string SchemaPath => Path.Combine(AppContext.BaseDirectory, "Linear", "schema.graphql");

    /// <summary>Checks a document and its variables against the schema, as Linear does before executing anything.</summary>
    public async Task<IValidationResult> ValidateAsync(GraphQLDocument document, GraphQLOperationDefinition operation, Inputs variables) =>
        await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = Schema,
            Document = document,
            Operation = operation,
            Variables = variables,
            Rules = DocumentValidator.CoreRules,
        });

    /// <summary>Parses and validates a whole request; the errors are empty when Linear would accept it.</summary>
    public async Task<IReadOnlyList<ExecutionError>> ValidateAsync(string query, string? operationName, Inputs variables)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            return [new ExecutionError(e.Message)];
        }
        var operation = SelectOperation(document, operationName);
        if (operation is null)
            return [new ExecutionError($"Unknown operation named \"{operationName}\".")];
        var result = await ValidateAsync(document, operation, variables);
        return result.IsValid ? [] : [.. result.Errors];
    }

    public static GraphQLOperationDefinition? SelectOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return string.IsNullOrEmpty(operationName)
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name is not null && o.Name.Value == operationName);
    }

    private static LinearDoubleSchema Build()
    {
        var clock = Stopwatch.StartNew();
        var document = Parser.Parse(File.ReadAllText(SchemaPath));
        var parseTime = clock.Elapsed;

        clock.Restart();
        // GraphQL.NET wants a stream resolver for every subscription field; the double serves none.
        RemoveSubscriptionRoot(document);
        var objectTypes = document.Definitions.OfType<GraphQLObjectTypeDefinition>().Select(t => (string)t.Name.Value).ToList();
        var scalars = document.Definitions.OfType<GraphQLScalarTypeDefinition>().Select(t => (string)t.Name.Value).ToList();

        var schema = GraphQL.Types.Schema.For(new SDLPrinter().Print(document), builder =>
        {
            foreach (var name in objectTypes)
                builder.Types.For(name).IsTypeOfFunc = LinearWorkspace.IsTypeOf(name);
            LinearDoubleResolvers.Configure(builder);
        });
        foreach (var scalar in scalars)
            schema.RegisterType(new PassThroughScalar(scalar));
        schema.Initialize();
        return new LinearDoubleSchema(schema, parseTime, clock.Elapsed);
    }

    private static void RemoveSubscriptionRoot(GraphQLDocument document)
    {
        document.Definitions.RemoveAll(d => d is GraphQLObjectTypeDefinition { Name.Value: var name } && name == "Subscription");
        foreach (var schemaDefinition in document.Definitions.OfType<GraphQLSchemaDefinition>())
            schemaDefinition.OperationTypes.RemoveAll(o => o.Operation == OperationType.Subscription);
    }
}
