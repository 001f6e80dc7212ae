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
    [InlineData(@"open \F never closed", @"open \F never closed")]
    [InlineData(@"what \Q\ is", @"what \Q\ is")]
    [InlineData(@"odd \X0D0\", @"odd \X0D0\")]
    [InlineData(@"bad \XZZ\", @"bad \XZZ\")]
    [InlineData(@"\.zz\", @"\.zz\")]
    [InlineData(@"\.sp -2\", @"\.sp -2\")]
    [InlineData(@"empty \\ sequence", @"empty \\ sequence")]
    [InlineData(@"ends with \", @"ends with \")]
    [InlineData(@"C:\temp\file", @"C:\temp\file")]
    public void Decode_SequencesThatCannotBeRead_AreKeptAsWritten(string raw, string expected)
    {
        Assert.Equal(expected, Hl7Escape.Decode(raw, Standard));
    }

    [Theory]
    [InlineData(@"a \ b \F\ c", @"a \ b | c")]
    [InlineData(@"odd \X0D0\ then \T\", @"odd \X0D0\ then &")]
    [InlineData(@"\Zon\text\F\more", @"\Zon\text|more")]
    public void Decode_AStrayEscapeCharacter_IsACharacter_AndTheSequencesAfterItStillDecode(string raw, string expected)
    {
        Assert.Equal(expected, Hl7Escape.Decode(raw, Standard));
    }

    [Theory]
    [InlineData(@"local \Zbold\text", @"local \Zbold\text")]
    [InlineData(@"\Z\", @"\Z\")]
    [InlineData(@"\ZAB12\\F\", @"\ZAB12\|")]
    public void Decode_LocallyDefinedEscape_IsKeptAsWritten(string raw, string expected)
    {
        Assert.Equal(expected, Hl7Escape.Decode(raw, Standard));
    }

    [Theory]
    [InlineData(@"\.sp 999999999\", 16, '\n')]
    [InlineData(@"\.sk 2147483647\", 16, ' ')]
    [InlineData(@"\.sp 99999999999999999999\", 16, '\n')]
    public void Decode_HugeLineOrSpaceCount_IsBounded(string raw, int count, char filler)
    {
        Assert.Equal(new string(filler, count), Hl7Escape.Decode(raw, Standard));
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
