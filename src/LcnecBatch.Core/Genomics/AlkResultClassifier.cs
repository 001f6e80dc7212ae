using System.Globalization;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.Genomics;

/// <summary>
/// Reads an ALK result text the way a molecular pathologist does: fusion (partner, exons, EML4–ALK variant) in every
/// notation labs use (EML4-ALK, EML4::ALK, "EML4 exon 13 - ALK exon 20", E6a/b;A20, t(2;5) NPM1-ALK), rearrangement
/// with no partner (break-apart FISH), sequence variants in every HGVS spelling, amplification, expression, and
/// explicit negatives. A text is cut into clauses (at ; , newlines and sentence ends, never inside brackets or a
/// junction such as E13;A20); a negation cue removes what it negates, and only that.
/// </summary>
public static partial class AlkResultClassifier
{
    // genomics.md 2.5 (NSCLC partners, NCI-MATCH list, PMC4630509) and the lymphoma classic NPM1: matched in any case.
    private static readonly Dictionary<string, string> KnownPartners = new[]
    {
        "EML4", "KIF5B", "KLC1", "TFG", "STRN", "HIP1", "DCTN1", "TPR", "TPM1", "TPM3", "TPM4", "CLTC", "RANBP2", "SEC31A",
        "VCL", "ATIC", "CARS", "CARS1", "TRAF1", "C2orf44", "PRKAR1A", "GTF2IRD1", "A2M", "ACTG2", "CLIP4", "MEMO1", "NCOA1",
        "SMEK2", "BIRC6", "SOCS5", "PLB1", "NPM1", "PTPN3", "MSN", "MYH9", "SQSTM1",
    }.ToDictionary(g => g.ToUpperInvariant(), g => g, StringComparer.Ordinal);

    // Words that stand where a gene would ("FISH-ALK", "RNA/ALK") but are not one.
    private static readonly HashSet<string> NotGenes = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALK", "EXON", "INTRON", "FISH", "NGS", "RNA", "DNA", "PCR", "RT", "QRT", "IHC", "CDX", "VUS", "SV", "AND", "WITH", "THE",
        "FOR", "NOT", "NO", "CN", "CNV", "ID", "GENE", "PANEL", "TEST", "RESULT", "POSITIVE", "NEGATIVE", "AMP", "CAP", "TKI", "VAF",
    };

    // Legacy names for the table's rows.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["T1151insT"] = "T1151_L1152insT",
        ["T1151ins"] = "T1151_L1152insT",
    };

    private const string Aa1 = "[ACDEFGHIKLMNPQRSTVWY]";
    private const string Aa3 = "(?:Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val)";

    [GeneratedRegex(@"(?<partner>\b[A-Za-z][A-Za-z0-9]{1,9})(?:\s*\((?:NM|NR|ENST)_?[0-9.]+\))?(?:\s*\(?\s*(?:exon|ex\.?)\s*(?<pexon>\d{1,2}[ab]?(?:/b)?)\s*\)?)?\s*(?:::|--|-|/|:)\s*ALK\b(?:\s*\((?:NM|NR|ENST)_?[0-9.]+\))?(?:\s*\(?\s*(?:exon|ex\.?)\s*(?<aexon>\d{1,2})\b\s*\)?)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PartnerNotation();

    // E13;A20, E6a/b;A20, E14;ins11del49A20, E15del19;del20A20, Oncomine's E6aA20 and K24A20.
    [GeneratedRegex(@"\b(?<initial>[A-Z])(?<pexon>\d{1,2}[ab]?(?:/b)?)(?:del(?<pdel>\d+))?\s*[:;]?\s*(?:ins(?<ins>\d+))?(?:del(?<adel>\d+))?A(?<aexon>\d{1,2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex JunctionNotation();

    [GeneratedRegex(@"\b(?:v|variant\s*)(?<name>5['′]|\d{1,2}[ab]?(?:/v?\d?[ab])?)(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VariantName();

    [GeneratedRegex(@"\b(?:rearrange\w*|fusions?|fused|translocat\w*|break[- ]?apart|split\s+signals?|isolated\s+3|inversion|structural\s+variant)|\bt\(2;\s*\d{1,2}\)|\binv\(2\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RearrangementWords();

    [GeneratedRegex(@"\bpartner(?:\s+gene)?(?:\s+(?:is|was|could|can))?(?:\s+not\s+be)?\s*(?:unknown|not\s+(?:identified|determined|known|specified|named)|unidentified|undetermined|unspecified|indeterminate|NOS|identified|determined)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PartnerPhrase();

    // Cues that negate what follows them ("no ALK rearrangement", "EML4-ALK without resistance mutations").
    [GeneratedRegex(@"\b(?:(?:no|without|absence\s+of|negative\s+for|none\s+of)\b|non-?(?=amplified|rearranged|mutated))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegatesWhatFollows();

    // Cues that negate their whole clause ("ALK rearrangement not detected", "ALK break-apart negative", "ALK wild type").
    [GeneratedRegex(@"\b(?:not\s+(?:detected|identified|found|present|seen|amplified|rearranged|mutated)|negative|neg|absent|wild[- ]?type|wt|unrearranged|normal)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegatesTheClause();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:p\.)?\(?(?<change>" + Aa1 + @"\d{3,4}(?:_" + Aa1 + @"\d{3,4})?(?:delins" + Aa1 + @"+|del|dup|ins" + Aa1 + @"*|fs\*?\d*|" + Aa1 + @"|\*))\)?(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex OneLetterChange();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:p\.)?\(?(?<change>" + Aa3 + @"\d{2,4}(?:_" + Aa3 + @"\d{2,4})?(?:delins(?:" + Aa3 + @")+|del|dup|ins(?:" + Aa3 + @")+|fs(?:Ter\d+|\*\d+)?|" + Aa3 + @"|Ter|\*))\)?(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ThreeLetterChange();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<legacy>1151T-?ins)(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyName();

    [GeneratedRegex(@"(?<![A-Za-z0-9])c\.(?<change>[-*]?\d+(?:[+-]\d+)?(?:_[-*]?\d+(?:[+-]\d+)?)?(?:[ACGT]>[ACGT]|delins[ACGT]+|del[ACGT]*|dup[ACGT]*|ins[ACGT]+))", RegexOptions.CultureInvariant)]
    private static partial Regex CodingChange();

    [GeneratedRegex(@"\bexon\s*(?<exon>\d{1,2})\s*(?<type>deletion|del|duplication|dup|insertion|ins|skipping)\b|\b(?<type>deletion|duplication|insertion|skipping)\s+(?:of|in)\s+exon\s*(?<exon>\d{1,2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExonChange();

    [GeneratedRegex(@"\bcompound\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Compound();

    [GeneratedRegex(@"\b(?:amplifi\w*|amplified|amp|copy[- ]?number\s+(?:gain|increase|amplification)|CN\s*[=:]\s*\d+|CNV?\s+gain|gains?(?!\s*-?\s*of)|polysomy|extra\s+cop(?:y|ies)|high[- ]level\s+copy)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CopyNumberWords();

    [GeneratedRegex(@"\b(?:over-?expression|over-?expressed|expression|expressed|protein|IHC|immunohisto\w*|immunoreactiv\w*|stain\w*|mRNA)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionWords();

    [GeneratedRegex(@"\((?=[^()]*\b(?:no|not|negative|neg|without|absent|wild[- ]?type|wt)\b)[^()]*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegatedBracket();

    [GeneratedRegex(@"^\s*(?:ins\d+|del\d+)*A\d", RegexOptions.CultureInvariant)]
    private static partial Regex JunctionContinues();

    [GeneratedRegex(@"(?<![A-Za-z0-9])E\d{1,2}[ab]?(?:/b)?(?:del\d+)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex JunctionStarts();

    /// <summary>What the text says. Never throws; an empty or unreadable text is <see cref="AlkAlterationKind.Unknown"/>.</summary>
    public static AlkFinding Classify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Unknown;
        }
        // A pure function of the text, asked by several rules on every day a patient is screened: read each text once.
        if (Known.TryGetValue(text, out var known))
        {
            return known;
        }
        if (Known.Count >= KnownBound)
        {
            Known.Clear();
        }
        return Known.GetOrAdd(text, ClassifyText);
    }

    private const int KnownBound = 50_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AlkFinding> Known = new(StringComparer.Ordinal);

    private static readonly AlkFinding Unknown = new() { Kind = AlkAlterationKind.Unknown };

    private static AlkFinding ClassifyText(string text)
    {
        var normalised = text.Replace('–', '-').Replace('—', '-').Replace('‐', '-').Replace('‑', '-');
        var reading = new Reading();
        foreach (var clause in Clauses(normalised))
        {
            // A bracket that negates ("(negative for G1202R)") takes only itself with it.
            var unbracketed = NegatedBracket().Replace(PartnerPhrase().Replace(clause, " "), m =>
            {
                reading.Negated = true;
                return " ";
            });
            var (affirmed, negated) = SplitAtNegation(unbracketed);
            reading.Negated |= negated;
            if (affirmed.Trim().Length > 0)
            {
                reading.Read(affirmed);
            }
        }
        return reading.ToFinding();
    }

    private sealed class Reading
    {
        private readonly List<AlkSequenceVariant> _mutations = [];

        public bool Negated { get; set; }

        private string? _partner;
        private string? _partnerExon;
        private int? _alkExon;
        private int _partnerDeleted;
        private int _inserted;
        private int _alkDeleted;
        private bool _junction;
        private EmlAlkVariant? _named;
        private bool _rearranged;
        private bool _copyNumber;
        private bool _expression;
        private bool _compound;

        public void Read(string clause)
        {
            foreach (Match m in PartnerNotation().Matches(clause))
            {
                if (Canonical(m.Groups["partner"].Value) is not { } partner)
                {
                    continue;
                }
                _partner ??= partner;
                if (_partnerExon is null && m.Groups["pexon"].Success && m.Groups["aexon"].Success)
                {
                    _partnerExon = m.Groups["pexon"].Value.ToLowerInvariant();
                    _alkExon = Number(m.Groups["aexon"].Value);
                }
            }
            if (JunctionNotation().Match(clause) is { Success: true } j && _partnerExon is null)
            {
                var initial = j.Groups["initial"].Value[0];
                if (_partner is null ? initial == 'E' : _partner[0] == initial)
                {
                    _partner ??= "EML4";
                    _partnerExon = j.Groups["pexon"].Value.ToLowerInvariant();
                    _alkExon = Number(j.Groups["aexon"].Value);
                    _partnerDeleted = Count(j, "pdel");
                    _inserted = Count(j, "ins");
                    _alkDeleted = Count(j, "adel");
                    _junction = true;
                }
            }
            if (VariantName().Match(clause) is { Success: true } v && (_partner is null or "EML4"))
            {
                if (EmlAlkVariant.FromName(v.Groups["name"].Value) is { } named)
                {
                    _named ??= named;
                    _partner ??= "EML4";
                }
            }
            _rearranged |= RearrangementWords().IsMatch(clause);
            _copyNumber |= CopyNumberWords().IsMatch(clause);
            _expression |= ExpressionWords().IsMatch(clause);
            _compound |= Compound().IsMatch(clause);
            ReadMutations(clause);
        }

        private void ReadMutations(string clause)
        {
            var names = new List<(int At, string Name)>();
            foreach (Match m in ThreeLetterChange().Matches(clause))
            {
                names.Add((m.Index, AlkResistance.ShortProteinChange(m.Groups["change"].Value)!));
            }
            foreach (Match m in OneLetterChange().Matches(clause))
            {
                names.Add((m.Index, m.Groups["change"].Value));
            }
            foreach (Match m in LegacyName().Matches(clause))
            {
                names.Add((m.Index, "T1151_L1152insT"));
            }
            foreach (Match m in ExonChange().Matches(clause))
            {
                names.Add((m.Index, $"exon {Number(m.Groups["exon"].Value)} {ExonChangeWord(m.Groups["type"].Value)}"));
            }
            if (names.Count == 0)
            {
                // A coding change counts only when the clause names no protein change: "c.3604G>A (p.G1202R)" is one variant.
                names.AddRange(CodingChange().Matches(clause).Select(m => (m.Index, "c." + m.Groups["change"].Value)));
            }
            foreach (var (_, raw) in names.OrderBy(n => n.At))
            {
                var name = Aliases.GetValueOrDefault(raw, raw);
                if (!_mutations.Any(m => m.Name == name))
                {
                    _mutations.Add(new AlkSequenceVariant(name, AlkResistance.Find(name)));
                }
            }
        }

        public AlkFinding ToFinding()
        {
            EmlAlkVariant? variant = null;
            if (_partner == "EML4")
            {
                variant = _partnerExon is null || _alkExon is null ? _named
                    : _partnerExon.Contains('/', StringComparison.Ordinal) ? EmlAlkVariant.FromName("v3a/b")
                    : EmlAlkVariant.FromExons(_partnerExon, _alkExon.Value, _partnerDeleted, _inserted, _alkDeleted);
                if (_partnerExon is null && _named is not null && JunctionNotation().Match(_named.Notation) is { Success: true } n)
                {
                    _partnerExon = n.Groups["pexon"].Value;
                    _alkExon = Number(n.Groups["aexon"].Value);
                }
            }
            var kind = _partner is not null ? AlkAlterationKind.Fusion
                : _rearranged || _junction ? AlkAlterationKind.Rearrangement
                : _mutations.Count > 0 ? AlkAlterationKind.PointMutation
                : _copyNumber ? AlkAlterationKind.CopyNumberGain
                : _expression ? AlkAlterationKind.ExpressionOnly
                : Negated ? AlkAlterationKind.NoAlteration
                : AlkAlterationKind.Unknown;
            return new AlkFinding
            {
                Kind = kind,
                Partner = _partner,
                PartnerExon = _partnerExon,
                AlkExon = _alkExon,
                Variant = variant,
                Mutations = _mutations,
                CopyNumberGain = _copyNumber,
                Expression = _expression,
                SaysCompound = _compound,
            };
        }
    }

    private static string ExonChangeWord(string type) => type.ToLowerInvariant() switch
    {
        "del" or "deletion" => "deletion",
        "dup" or "duplication" => "duplication",
        "ins" or "insertion" => "insertion",
        _ => "skipping",
    };

    private static string? Canonical(string written)
    {
        if (NotGenes.Contains(written))
        {
            return null;
        }
        if (KnownPartners.TryGetValue(written.ToUpperInvariant(), out var known))
        {
            return known;
        }
        // An unlisted partner counts only as a gene symbol is written: capitals and digits, starting with a letter.
        return written.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) && written.Any(char.IsAsciiLetter) ? written : null;
    }

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Count(Match match, string group) => match.Groups[group] is { Success: true } g ? Number(g.Value) : 0;

    /// <summary>The affirmed part of a clause and whether some of it was negated.</summary>
    private static (string Affirmed, bool Negated) SplitAtNegation(string clause)
    {
        if (NegatesTheClause().IsMatch(clause))
        {
            return (string.Empty, true);
        }
        return NegatesWhatFollows().Match(clause) is { Success: true } cue ? (clause[..cue.Index], true) : (clause, false);
    }

    /// <summary>Clauses: cut at ; , newlines and sentence ends outside brackets, never inside a junction (E13;A20).</summary>
    private static List<string> Clauses(string text)
    {
        var clauses = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && IsCut(text, i, start))
            {
                clauses.Add(text[start..i]);
                start = i + 1;
            }
        }
        clauses.Add(text[start..]);
        return clauses;
    }

    private static bool IsCut(string text, int i, int clauseStart) => text[i] switch
    {
        '\n' or '\r' or ',' => true,
        // Only the few characters around the ';' are looked at, so a text of many clauses is read in linear time.
        ';' => !(JunctionStarts().IsMatch(text.AsSpan(Math.Max(clauseStart, i - 16), i - Math.Max(clauseStart, i - 16)))
            && JunctionContinues().IsMatch(text.AsSpan(i + 1, Math.Min(24, text.Length - i - 1)))),
        // A sentence end, not an abbreviation ("ex. 13", "p.G1202R", "c.3604G>A").
        '.' => (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])) && WordBefore(text, i) >= 3,
        _ => false,
    };

    private static int WordBefore(string text, int i)
    {
        var n = 0;
        while (i - n - 1 >= 0 && char.IsLetterOrDigit(text[i - n - 1]))
        {
            n++;
        }
        return n;
    }
}
