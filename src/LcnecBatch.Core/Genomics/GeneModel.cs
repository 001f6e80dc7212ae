using System.Globalization;
using System.Reflection;

namespace LcnecBatch.Core.Genomics;

/// <summary>One exon of a transcript, 1-based inclusive. <see cref="Label"/> is the number, or "6b" for EML4's cryptic exon.</summary>
public sealed record Exon(string Label, int Number, long Start, long End)
{
    /// <summary>An exon outside the canonical transcript (EML4 6b), used only to name a variant.</summary>
    public bool IsCryptic => Label.Any(char.IsLetter);

    public bool Contains(long position) => position >= Start && position <= End;
}

/// <summary>The exons of EML4 or ALK on one build, from the embedded table <c>alk-eml4-exons.tsv</c>.</summary>
public sealed class GeneModel
{
    private static readonly Lazy<IReadOnlyDictionary<(string Gene, GenomeBuild Build), GeneModel>> All = new(Load);

    private GeneModel(string gene, GenomeBuild build, bool plusStrand, IReadOnlyList<Exon> exons)
    {
        Gene = gene;
        Build = build;
        PlusStrand = plusStrand;
        Exons = exons;
        Start = exons.Min(e => e.Start);
        End = exons.Max(e => e.End);
    }

    public string Gene { get; }

    public GenomeBuild Build { get; }

    public bool PlusStrand { get; }

    /// <summary>Canonical exons in transcript order (cryptic exons such as EML4 6b included after their host).</summary>
    public IReadOnlyList<Exon> Exons { get; }

    public long Start { get; }

    public long End { get; }

    public static GeneModel Alk(GenomeBuild build) => All.Value[("ALK", build)];

    public static GeneModel Eml4(GenomeBuild build) => All.Value[("EML4", build)];

    public bool Spans(long position) => position >= Start && position <= End;

    /// <summary>The canonical exon (not a cryptic one) holding the position, or null in an intron or outside the gene.</summary>
    public Exon? ExonAt(long position) => Exons.FirstOrDefault(e => !e.IsCryptic && e.Contains(position));

    /// <summary>
    /// When this gene is the 5′ partner and keeps the transcript up to <paramref name="position"/>: the last exon
    /// kept (the one holding the position, or the one before the intron holding it). Null outside the gene.
    /// </summary>
    public Exon? LastExonKept(long position)
    {
        if (!Spans(position))
        {
            return null;
        }
        Exon? kept = null;
        foreach (var exon in Canonical())
        {
            var begins = PlusStrand ? exon.Start : exon.End;
            if (PlusStrand ? begins <= position : begins >= position)
            {
                kept = exon;
            }
        }
        return kept;
    }

    /// <summary>
    /// When this gene is the 3′ partner and keeps the transcript from <paramref name="position"/> on: the first
    /// exon kept (the one holding the position, or the one after the intron holding it). Null outside the gene.
    /// </summary>
    public Exon? FirstExonKept(long position)
    {
        if (!Spans(position))
        {
            return null;
        }
        foreach (var exon in Canonical())
        {
            var ends = PlusStrand ? exon.End : exon.Start;
            if (PlusStrand ? ends >= position : ends <= position)
            {
                return exon;
            }
        }
        return null;
    }

    private IEnumerable<Exon> Canonical() => Exons.Where(e => !e.IsCryptic);

    private static Dictionary<(string, GenomeBuild), GeneModel> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LcnecBatch.Core.Genomics.alk-eml4-exons.tsv")
            ?? throw new InvalidOperationException("embedded exon table is missing");
        using var reader = new StreamReader(stream);
        var rows = new List<(string Gene, bool Plus, Exon G38, Exon G37)>();
        var header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            if (header)
            {
                header = false;
                continue;
            }
            var f = line.Split('\t');
            var label = f[2];
            var number = int.Parse(label.TrimEnd('b'), CultureInfo.InvariantCulture);
            rows.Add((f[0], f[1] == "+", new Exon(label, number, Number(f[3]), Number(f[4])), new Exon(label, number, Number(f[5]), Number(f[6]))));
        }
        var models = new Dictionary<(string, GenomeBuild), GeneModel>();
        foreach (var gene in rows.Select(r => r.Gene).Distinct())
        {
            var plus = rows.First(r => r.Gene == gene).Plus;
            models[(gene, GenomeBuild.GRCh38)] = new GeneModel(gene, GenomeBuild.GRCh38, plus, [.. rows.Where(r => r.Gene == gene).Select(r => r.G38)]);
            models[(gene, GenomeBuild.GRCh37)] = new GeneModel(gene, GenomeBuild.GRCh37, plus, [.. rows.Where(r => r.Gene == gene).Select(r => r.G37)]);
        }
        return models;
    }

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
