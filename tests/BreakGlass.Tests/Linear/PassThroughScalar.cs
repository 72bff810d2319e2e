using GraphQL.Types;
using GraphQLParser.AST;

namespace BreakGlass.Tests.Linear;

/// <summary>
/// One of Linear's custom scalars (<c>DateTime</c>, <c>JSON</c>, <c>UUID</c>…): the schema only names them,
/// so the double accepts any literal or variable value for them and echoes values back unchanged.
/// </summary>
internal sealed class PassThroughScalar : ScalarGraphType
{
    public PassThroughScalar(string name) => Name = name;

    public override object? ParseValue(object? value) => value;

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => (string)s.Value,
        GraphQLBooleanValue b => b.BoolValue,
        GraphQLIntValue i => long.Parse(i.Value.Span, provider: System.Globalization.CultureInfo.InvariantCulture),
        GraphQLFloatValue f => double.Parse(f.Value.Span, provider: System.Globalization.CultureInfo.InvariantCulture),
        GraphQLEnumValue e => (string)e.Name.Value,
        GraphQLListValue l => l.Values?.Select(ParseLiteral).ToList() ?? [],
        GraphQLObjectValue o => o.Fields?.ToDictionary(field => (string)field.Name.Value, field => ParseLiteral(field.Value)) ?? [],
        _ => ThrowLiteralConversionError(value),
    };

    public override object? Serialize(object? value) => value;
}
