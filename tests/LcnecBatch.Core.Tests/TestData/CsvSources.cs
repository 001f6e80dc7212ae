using System.Text;

namespace LcnecBatch.Core.Tests.TestData;

/// <summary>The same CSV text as the different byte sources a lab may send: LF, CRLF, BOM, and tiny reads.</summary>
internal static class CsvSources
{
    public static IEnumerable<(string Name, Func<string, Stream> Open)> All { get; } =
    [
        ("lf", text => new MemoryStream(Encoding.UTF8.GetBytes(text))),
        ("crlf", text => new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)))),
        ("bom", text => new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)])),
        ("1-byte reads", text => new ChunkedStream(Encoding.UTF8.GetBytes(text), 1)),
        ("7-byte reads, crlf, bom", text => new ChunkedStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))], 7)),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in All)
        {
            data.Add(name);
        }
        return data;
    }

    public static Stream Open(string source, string text) => All.Single(s => s.Name == source).Open(text);
}
