using LcnecBatch.Core.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

public class Hl7EscapeTests
{
    private static readonly Hl7Delimiters Standard = Hl7Delimiters.Standard;

    [Theory]
    [InlineData(@"a\F\b", "a|b")]
    [InlineData(@"a\S\b", "a^b")]
    [InlineData(@"a\T\b", "a&b")]
    [InlineData(@"a\R\b", "a~b")]
    [InlineData(@"C:\E\path", @"C:\path")]
    [InlineData(@"line one\.br\line two", "line one\nline two")]
    [InlineData(@"CRLF\X0D0A\inside", "CRLF\ninside")]
    [InlineData(@"split\X0D\\X0A\hex", "split\nhex")]
    [InlineData(@"caf\XC3A9\", "café")]
    [InlineData(@"Latin-1 caf\XE9\", "Latin-1 café")]
    [InlineData(@"\H\bold\N\ text", "bold text")]
    [InlineData(@"two\.sp 2\lines", "two\n\nlines")]
    [InlineData(@"\.ce\centered", "centered")]
    [InlineData("no escapes at all", "no escapes at all")]
    public void Decode_KnownSequences_GiveTheirCharacters(string raw, string expected)
    {
        Assert.Equal(expected, Hl7Escape.Decode(raw, Standard));
    }

    [Theory]
    [InlineData(@"open \F never closed", "escape sequence at character 6 is never closed")]
    [InlineData(@"what \Q\ is", "unknown escape sequence at character 6")]
    [InlineData(@"odd \X0D0\", "hexadecimal escape at character 5 has an odd number of digits")]
    [InlineData(@"bad \XZZ\", "hexadecimal escape at character 5 holds a non-hex digit")]
    [InlineData(@"\.zz\", "unknown formatting command at character 1")]
    public void Decode_BadSequences_SayWhereWithoutQuotingText(string raw, string message)
    {
        var e = Assert.Throws<FormatException>(() => Hl7Escape.Decode(raw, Standard));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Decode_UsesTheMessagesOwnDelimiters()
    {
        var custom = new Hl7Delimiters('#', '!', '*', '$', '@', null);
        Assert.Equal("a#b!c*d@e$f", Hl7Escape.Decode("a$F$b$S$c$R$d$T$e$E$f", custom));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("pipes | hats ^ tildes ~ amps & slashes \\")]
    [InlineData("two\nlines")]
    public void Encode_ThenDecode_RoundTrips(string text)
    {
        var encoded = Hl7Escape.Encode(text, Standard);
        Assert.DoesNotContain('|', encoded);
        Assert.DoesNotContain('\n', encoded);
        Assert.Equal(text, Hl7Escape.Decode(encoded, Standard));
    }
}
