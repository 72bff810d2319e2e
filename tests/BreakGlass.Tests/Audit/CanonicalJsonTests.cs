using System.Text;
using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Evidence;

namespace BreakGlass.Tests.Audit;

/// <summary>RFC 8785 (JSON Canonicalization Scheme), checked against the RFC's own examples.</summary>
public sealed class CanonicalJsonTests
{
    [Fact]
    public void TheRfcsExampleCanonicalisesToItsPublishedForm()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        var canonical = CanonicalJson.ToText(JsonDocument.Parse(input).RootElement);

        Assert.Equal("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""", canonical);
    }

    [Fact]
    public void MembersAreSortedByTheirNamesUtf16CodeUnits()
    {
        const string input = """{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}""";

        var canonical = CanonicalJson.ToText(JsonDocument.Parse(input).RootElement);

        var names = JsonDocument.Parse(canonical).RootElement.EnumerateObject().Select(member => member.Value.GetString()!).ToArray();
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            names);
    }

    [Theory]
    [InlineData(0x0000000000000000, "0")]
    [InlineData(unchecked((long)0x8000000000000000), "0")]
    [InlineData(0x0000000000000001, "5e-324")]
    [InlineData(0x7fefffffffffffff, "1.7976931348623157e+308")]
    [InlineData(0x4340000000000000, "9007199254740992")]
    [InlineData(0x4430000000000000, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6, "1e+23")]
    [InlineData(0x444b1ae4d6e2ef50, "1e+21")]
    [InlineData(0x444b1ae4d6e2ef4f, "999999999999999900000")]
    [InlineData(0x3eb0c6f7a0b5ed8d, "0.000001")]
    [InlineData(0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7")]
    [InlineData(0x41b3de4355555555, "333333333.3333333")]
    [InlineData(unchecked((long)0xc06fffffffffffff), "-255.99999999999997")]
    public void NumbersAreWrittenAsEcmaScriptWritesThem(long bits, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(BitConverter.Int64BitsToDouble(bits)));
    }

    [Fact]
    public void TheSameDataInAnyLayoutGivesTheSameBytes()
    {
        var compact = JsonDocument.Parse("""{"b":[1,2.0,{"y":"\u00e9","x":null}],"a":true}""").RootElement;
        var spread = JsonDocument.Parse("""
            {
              "a" : true,
              "b" : [ 1.00, 2, { "x": null, "y": "é" } ]
            }
            """).RootElement;

        Assert.Equal(CanonicalJson.ToUtf8Bytes(compact), CanonicalJson.ToUtf8Bytes(spread));
        Assert.Equal("""{"a":true,"b":[1,2,{"x":null,"y":"é"}]}""", Encoding.UTF8.GetString(CanonicalJson.ToUtf8Bytes(spread)));
    }

    [Fact]
    public void ControlCharactersAreEscapedInLowerCaseHex()
    {
        var value = JsonDocument.Parse("\"\\u0001\\u001F\\t\\b\\f\u2028\"").RootElement;

        Assert.Equal("\"\\u0001\\u001f\\t\\b\\f\u2028\"", CanonicalJson.ToText(value));
    }

    [Fact]
    public void AnObjectWithADuplicateMemberHasNoCanonicalForm()
    {
        var duplicate = JsonDocument.Parse("""{"a":1,"a":2}""").RootElement;

        Assert.Throws<JsonException>(() => CanonicalJson.ToText(duplicate));
    }
}
