using System.Text;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Fusions;
using LcnecBatch.Core.Formats.Vcf;

namespace LcnecBatch.Core.Genomics;

/// <summary>
/// Scans one raw NGS file — VCF (plain, gzip, BGZF), Arriba <c>fusions.tsv</c> or STAR-Fusion predictions — for ALK
/// fusions and ALK resistance mutations. Files are named <c>{accession}.vcf|.vcf.gz|.vcf.bgz|.arriba.tsv|.star-fusion.tsv</c>;
/// what a file is, is decided by its content. Bad input never throws: it comes back as a failure with line and reason.
/// </summary>
public static class AlkNgsScanner
{
    private static readonly string[] Suffixes = [".vcf.gz", ".vcf.bgz", ".vcf", ".arriba.tsv", ".star-fusion.tsv"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>True for the file names NGS files arrive under.</summary>
    public static bool IsNgsFileName(string fileName) => AccessionOf(fileName) is not null;

    /// <summary>The accession a file name carries (<c>S26-04417.vcf.gz</c> → <c>S26-04417</c>), or null for another name.</summary>
    public static string? AccessionOf(string fileName)
    {
        var name = Path.GetFileName(fileName ?? string.Empty);
        var suffix = Suffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase) && name.Length > s.Length);
        return suffix is null ? null : name[..^suffix.Length];
    }

    /// <summary>Reads <paramref name="content"/> to its end (the caller keeps ownership of the stream).</summary>
    public static AlkNgsScan Scan(Stream content, string fileName, NgsScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= NgsScanOptions.Default;
        var accession = AccessionOf(fileName);
        var compression = NgsCompression.None;
        NgsFileFormat? format = null;
        try
        {
            using var decompressed = CompressedInput.Open(new KeepOpenStream(content), options.DecompressionThreads, out compression);
            var (firstLine, replay) = FirstLine(decompressed);
            if (firstLine.StartsWith("##fileformat=VCF", StringComparison.Ordinal))
            {
                format = NgsFileFormat.Vcf;
                using var reader = VcfReader.Open(replay, compression, new VcfReaderOptions { DecompressionThreads = options.DecompressionThreads, MaxLineLength = options.MaxLineLength });
                var scan = new VcfAlkScan(reader, options);
                var (fusions, mutations) = scan.Run();
                return new AlkNgsScan(fileName, accession, format, compression, scan.Build, reader.Header.Samples, fusions, mutations,
                    reader.RecordCount, scan.Dropped, null, null)
                { CallsStructuralVariants = scan.CallsStructuralVariants };
            }
            var isArriba = ArribaReader.IsHeader(firstLine);
            if (isArriba || StarFusionReader.IsHeader(firstLine))
            {
                format = isArriba ? NgsFileFormat.Arriba : NgsFileFormat.StarFusion;
                // Lines come bounded in length, and a decompression error names the line it hit.
                using var text = new Utf8LineReader(replay, options.MaxLineLength);
                var (calls, rows, dropped) = isArriba ? FusionFileScan.Arriba(text, options) : FusionFileScan.StarFusion(text, options);
                var build = calls.Select(c => c.Build).Distinct().ToList() is [{ } only] ? only : options.GenomeBuild;
                return new AlkNgsScan(fileName, accession, format, compression, build, [], calls, [], rows, dropped, null, null);
            }
            return Failed(fileName, accession, format, compression, NgsFormatError.At(1, null, null,
                "not a VCF (##fileformat=VCF…), Arriba (#gene1…) or STAR-Fusion (#FusionName…) file"));
        }
        catch (FileFormatException e)
        {
            return Failed(fileName, accession, format, compression, e);
        }
        catch (CorruptInputException e)
        {
            // Only the first line's read-ahead meets decompression errors outside a line reader.
            return Failed(fileName, accession, format, compression, NgsFormatError.At(1, null, null, e.Message, e));
        }
    }

    private static AlkNgsScan Failed(string fileName, string? accession, NgsFileFormat? format, NgsCompression compression, FileFormatException error) =>
        new(fileName, accession, format, compression, null, [], [], [], 0, 0, new FileFailure(fileName, error.Line, error.Reason), NgsFormatError.ColumnOf(error));

    // The first line decides the format; it is read ahead and handed back in front of the rest.
    private static (string FirstLine, Stream Replay) FirstLine(Stream content)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = content.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                break;
            }
            length += read;
            if (buffer.AsSpan(0, length).Contains((byte)'\n'))
            {
                break;
            }
        }
        var text = buffer.AsSpan(0, length);
        text = text.StartsWith("\uFEFF"u8) ? text[3..] : text;
        var newline = text.IndexOf((byte)'\n');
        var first = Utf8.GetString(newline < 0 ? text : text[..newline]).TrimEnd('\r');
        return (first, new PrefixedStream(buffer, length, content));
    }

    /// <summary>A view of the caller's stream that the readers may dispose without closing it.</summary>
    private sealed class KeepOpenStream(Stream inner) : ForwardReadStream
    {
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
    }
}
