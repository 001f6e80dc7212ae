using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats;

/// <summary>
/// What a rejection may say of the value it refuses: rejections reach terminals and logs, so a value that could
/// be an identifier is never shown, and a shown one cannot carry control characters or run long.
/// </summary>
public class CsvRejectionEchoTests
{
    private static string Reject(ExportFileKind kind, string text)
    {
        foreach (var (source, _) in CsvSources.All)
        {
            var rejections = new List<Rejection>();
            using var stream = CsvSources.Open(source, text);
            CsvExportReader.Read(kind, stream, "p.csv", new DateOnly(2026, 11, 27), _ => { }, rejections.Add);
            if (source == "lf")
            {
                return Assert.Single(rejections).ToString();
            }
        }
        throw new InvalidOperationException("no lf source");
    }

    public static TheoryData<string> IdentifierLikeWords() =>
    [
        "S26-04417",
        "998877",
        "MRN123",
        "M26-417",
        "doe.jane@example.org",
        "a word much longer than forty characters in all",
    ];

    [Theory]
    [MemberData(nameof(IdentifierLikeWords))]
    public void Reject_VocabularyValueThatLooksLikeAnIdentifier_IsNotShown(string value)
    {
        var message = Reject(ExportFileKind.Patients, $"mrn,sex\n1,{value}\n");

        Assert.Equal("p.csv:2: column \"sex\": value (not shown) is not one of F, M, U", message);
    }

    [Theory]
    [InlineData("mrn,pack_years\n1,S26-04417\n", "p.csv:2: column \"pack_years\": value (not shown) is not a number")]
    [InlineData("accession,mrn,report_date,final_diagnosis,addendum\nS1,1,2026-11-01,x,100234\n", "p.csv:2: column \"addendum\": value (not shown) is not true or false")]
    [InlineData("accession,mrn,report_date,final_diagnosis\nS1,1,100234,x\n", "p.csv:2: column \"report_date\": value (not shown) is not a date (expected yyyy-MM-dd)")]
    [InlineData("accession,mrn,report_date,final_diagnosis\nS1,1,S26-04417,x\n", "p.csv:2: column \"report_date\": value (not shown) is not a date (expected yyyy-MM-dd)")]
    [InlineData("accession,mrn,report_date,final_diagnosis\nS1,1,2026-11-31,x\n", "p.csv:2: column \"report_date\": \"2026-11-31\" is not a date (expected yyyy-MM-dd)")]
    public void Reject_NumberBooleanOrDateHoldingAnIdentifier_IsNotShown_ButADateAttemptIs(string text, string expected)
    {
        Assert.Equal(expected, Reject(text.StartsWith("mrn", StringComparison.Ordinal) ? ExportFileKind.Patients : ExportFileKind.PathologyReports, text));
    }

    [Theory]
    [InlineData("x\u001B[2J", "\"x\\u001B[2J\"")]
    [InlineData("\"po\ns\"", "\"po\\ns\"")]
    [InlineData("\"po\r\ns\"", "\"po\\r\\ns\"")]
    [InlineData("po\ts", "\"po\\ts\"")]
    [InlineData("p\u0085\u202Eos", "\"p\\u0085\\u202Eos\"")]
    [InlineData("p\u0000os", "\"p\\u0000os\"")]
    [InlineData("\"p\"\"os\\\"", "\"p\\\"os\\\\\"")]
    public void Reject_ShownValue_HasControlAndFormatCharactersEscaped(string cell, string shown)
    {
        var message = Reject(ExportFileKind.IhcResults, $"accession,mrn,result_date,marker,result\nS1,1,2026-11-01,ALK,{cell}\n");

        Assert.Equal($"p.csv:2: column \"result\": {shown} is not one of positive, negative, equivocal, not_evaluable", message);
    }

    [Fact]
    public void Reject_ShownValueThatEscapingMakesLong_IsCutAtFortyCharacters_NeverInsideAnEscape()
    {
        var message = Reject(ExportFileKind.Patients, $"mrn,sex\n1,x{new string('\u0001', 12)}\n");

        Assert.Equal($"p.csv:2: column \"sex\": \"x{string.Concat(Enumerable.Repeat("\\u0001", 6))}…\" is not one of F, M, U", message);
    }

    [Fact]
    public void Reject_ColumnNameOfAnUnknownColumn_IsEscaped()
    {
        var message = Reject(ExportFileKind.Patients, "mrn,\"No\tte\"\n1,\"a\"b\n");

        Assert.Equal("p.csv:2: column \"no\\tte\": text follows the closing quote of a quoted value (a quote inside one must be doubled)", message);
    }
}
