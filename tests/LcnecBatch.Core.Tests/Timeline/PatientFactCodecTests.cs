using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Tests.Timeline;

/// <summary>
/// Issue 19, bounded memory: a dormant patient's facts written compactly for a spill file and read back as the same
/// facts (every field, the identity a lean report cannot recompute, one shared instance per repeated string), and corrupt
/// bytes refused as <see cref="InvalidDataException"/> only.
/// </summary>
public sealed class PatientFactCodecTests(SpilledFacts real) : IClassFixture<SpilledFacts>
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    private static SourceRef At(string file, int line = 2) => new($"{Day0:yyyy-MM-dd}/{file}", line);

    private static DemographicsRecorded Demographics(string mrn = "100001") => new() { KnownOn = Day0, Source = At("patients.csv"), Mrn = mrn };

    private static PathologyReported Report(string text) => new()
    {
        KnownOn = Day0,
        Source = At("pathology_reports.csv"),
        Mrn = "100001",
        Accession = "S26-00001",
        ReportDate = Day0,
        FinalDiagnosis = text,
    };

    private static IhcResulted Ihc() => new()
    {
        KnownOn = Day0,
        Source = At("ihc_results.csv"),
        Mrn = "100001",
        Accession = "S26-00001",
        ResultDate = Day0,
        Marker = "ALK",
        Result = IhcResult.Negative,
    };

    private static MolecularResulted Molecular() => new()
    {
        KnownOn = Day0,
        Source = At("molecular_results.csv"),
        Mrn = "100001",
        Accession = "M26-00001",
        ResultDate = Day0,
        Method = MolecularMethod.Ngs,
        Gene = "ALK",
        Result = MolecularResult.NotDetected,
    };

    private static List<TimelineEvent> RoundTrip(params TimelineEvent[] facts) => PatientFactCodec.Read(PatientFactCodec.Write(facts));

    private static void AssertSameFacts(IReadOnlyList<TimelineEvent> written, List<TimelineEvent> read)
    {
        Assert.Equal(written.Count, read.Count);
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i], read[i]);
            Assert.Equal(written[i].EventId, read[i].EventId);
            Assert.Equal((written[i] as PathologyReported)?.TextTraits, (read[i] as PathologyReported)?.TextTraits);
        }
    }

    [Fact]
    public void Read_RealPatientsFactsAsTheStoreKeepsThem_AreTheSameFacts()
    {
        var reports = real.Patients.SelectMany(p => p).OfType<PathologyReported>().ToList();
        // The archive exercises what matters: lean reports, reports with their text, every kind.
        Assert.Contains(reports, r => r.TextTraits is not null && r.FinalDiagnosis.Length == 0);
        Assert.Contains(reports, r => r.TextTraits is null && r.FinalDiagnosis.Length > 0);
        Assert.Contains(real.Patients.SelectMany(p => p), f => f is IhcResulted);
        Assert.Contains(real.Patients.SelectMany(p => p), f => f is MolecularResulted);
        Assert.Contains(real.Patients.SelectMany(p => p), f => f is DemographicsRecorded);

        foreach (var facts in real.Patients)
        {
            AssertSameFacts(facts, PatientFactCodec.Read(PatientFactCodec.Write(facts)));
        }
    }

    [Fact]
    public void Read_StringsRepeatedInABlob_ComeBackAsOneSharedInstance()
    {
        var patient = real.Patients.Where(p => p.Count >= 4).MaxBy(p => p.Select(f => f.Source.File).Distinct().Count())!;

        var read = PatientFactCodec.Read(PatientFactCodec.Write(patient));

        var mrns = read.Cast<IPatientFact>().Select(f => f.Mrn).ToList();
        Assert.All(mrns, m => Assert.Same(mrns[0], m));
        foreach (var sameFile in read.GroupBy(f => f.Source.File, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Assert.All(sameFile, f => Assert.Same(sameFile.First().Source.File, f.Source.File));
        }
        Assert.Contains(read.GroupBy(f => f.Source.File, StringComparer.Ordinal), g => g.Count() > 1);
        var accessions = read.OfType<ISpecimenFact>().GroupBy(f => f.Accession, StringComparer.Ordinal).Where(g => g.Count() > 1);
        Assert.All(accessions, g => Assert.All(g, f => Assert.Same(g.First().Accession, f.Accession)));
    }

    [Fact]
    public void Write_RepeatedStrings_AreWrittenOnce()
    {
        var mrn = "MRN-" + new string('7', 40);
        var one = PatientFactCodec.Write([Demographics(mrn)]);
        var three = PatientFactCodec.Write([Demographics(mrn), Demographics(mrn) with { Source = At("patients.csv", 3) }, Demographics(mrn) with { Source = At("patients.csv", 4) }]);

        Assert.Equal(1, Occurrences(three, Encoding.UTF8.GetBytes(mrn)));
        Assert.True(three.Length < one.Length + 2 * 30, $"{three.Length} bytes for three facts, {one.Length} for one");
    }

    [Fact]
    public void Read_DemographicsWithEveryOptionalFieldNull_KeepsThemNull()
    {
        var written = Demographics();

        var read = Assert.IsType<DemographicsRecorded>(Assert.Single(RoundTrip(written)));

        // Writing reads the written fact's identity, so both sides hold it (records compare the cached id too).
        Assert.Equal(written, read);
        Assert.Null(read.Sex);
        Assert.Null(read.BirthDate);
        Assert.Null(read.Smoking);
        Assert.Null(read.PackYears);
        Assert.Null(read.CareTeam);
    }

    [Fact]
    public void Read_DemographicsWithEveryOptionalFieldSet_KeepsThem()
    {
        var full = Demographics() with { Sex = Sex.Unknown, BirthDate = new DateOnly(1951, 12, 31), Smoking = SmokingStatus.Former, PackYears = 42.5m, CareTeam = "thoracic-onc" };

        AssertSameFacts([full], RoundTrip(full));
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("30")]
    [InlineData("-1.25")]
    [InlineData("1.000")]
    [InlineData("0")]
    [InlineData("-0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    public void Read_Decimal_KeepsValueAndScale(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var ihc = Ihc() with { Value = value };
        var demographics = Demographics() with { PackYears = value };

        var read = RoundTrip(ihc, demographics);

        Assert.Equal(decimal.GetBits(value), decimal.GetBits(((IhcResulted)read[0]).Value!.Value));
        Assert.Equal(decimal.GetBits(value), decimal.GetBits(((DemographicsRecorded)read[1]).PackYears!.Value));
        AssertSameFacts([ihc, demographics], read);
    }

    [Fact]
    public void Read_ReportWithUnicodeTextAndEveryFieldSet_KeepsThem()
    {
        var report = Report("Poumon : carcinome neuroendocrine à grandes cellules. 肺大细胞神经内分泌癌 🫁 — ALK (D5F3) demandé.\r\nFin.") with
        {
            SpecimenSite = "Lung, right upper lobe",
            Procedure = "Wedge résection",
            Morphology = "8013/3",
            Topography = "C34.1",
            Stage = "pT2a N0",
            Addendum = true,
            Amends = true,
            CareTeam = "équipe-thoracique",
        };

        var read = Assert.IsType<PathologyReported>(Assert.Single(RoundTrip(report)));

        AssertSameFacts([report], [read]);
        Assert.Equal(report.FinalDiagnosis, read.FinalDiagnosis);
    }

    [Fact]
    public void Read_ReportWithEveryOptionalFieldNull_KeepsThemNull()
    {
        var report = Report("Lung, core biopsy: Large cell neuroendocrine carcinoma.");

        var read = Assert.IsType<PathologyReported>(Assert.Single(RoundTrip(report)));

        AssertSameFacts([report], [read]);
        Assert.Null(read.SpecimenSite);
        Assert.Null(read.Stage);
        Assert.Null(read.CareTeam);
        Assert.Null(read.TextTraits);
    }

    [Fact]
    public void Read_LeanReport_KeepsTheIdentityItsEmptyTextCannotGive()
    {
        var report = Report("Addendum: the diagnosis is amended to invasive squamous cell carcinoma.") with { Addendum = true };
        var lean = (PathologyReported)TimelineStore.Lean(report);
        Assert.Equal("", lean.FinalDiagnosis);

        var read = Assert.IsType<PathologyReported>(Assert.Single(RoundTrip(lean)));

        Assert.Equal(report.EventId, read.EventId);
        Assert.Equal(lean.TextTraits, read.TextTraits);
        Assert.NotEqual(ReportTextTraits.None, read.TextTraits);
        Assert.Equal(lean, read);
        // Recomputed from the lean content (a with-copy does), the id would differ: it has to be stored.
        Assert.NotEqual(report.EventId, (read with { }).EventId);
    }

    [Fact]
    public void Read_IhcAndMolecularWithOptionalFieldsNullAndSet_KeepThem()
    {
        TimelineEvent[] facts =
        [
            Ihc(),
            Ihc() with { AntibodyClone = "D5F3", Result = IhcResult.NotEvaluable, Value = 85m, Comment = "H-score 85; weak staining" },
            Molecular(),
            Molecular() with { Method = MolecularMethod.RtPcr, Result = MolecularResult.Detected, Alteration = "EML4-ALK v3", File = "2026-03-02/ngs/M26-00001.vcf.gz" },
        ];

        AssertSameFacts(facts, RoundTrip(facts));
    }

    [Fact]
    public void Read_EmptyList_IsEmpty()
    {
        var blob = PatientFactCodec.Write([]);

        Assert.Empty(PatientFactCodec.Read(blob));
        Assert.True(blob.Length <= 3);
    }

    [Fact]
    public void Write_RawFile_IsNotSupportedAndNamesNoPatientData()
    {
        var raw = new RawNgsFileArrived { KnownOn = Day0, Source = At("ngs/M26-99123.vcf"), Accession = "M26-99123", Kind = RawNgsKind.Vcf, ContentHash = "ab" };

        Assert.False(PatientFactCodec.CanWrite(raw));
        Assert.True(PatientFactCodec.CanWrite(TimelineStore.Lean(Report("Lung: adenocarcinoma."))));
        var rawError = Assert.Throws<NotSupportedException>(() => PatientFactCodec.Write([Demographics(), raw]));
        Assert.DoesNotContain("M26-99123", rawError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CareTeamResponsesOfEveryKind_KeepEveryField()
    {
        AlertResponded Response(string id, ResponseKind kind) => new()
        {
            KnownOn = Day0,
            Source = At("responses/2026-11-03/inbox.jsonl"),
            ResponseId = id,
            Mrn = "100777",
            AlertId = "a1",
            Kind = kind,
            RespondedOn = Day0.AddDays(-1),
        };
        List<TimelineEvent> responses =
        [
            Response("r1", ResponseKind.Acknowledged),
            Response("r2", ResponseKind.Declined) with { By = "3f2a9c1e-entra-object-id", Channel = "inbox" },
            Response("r3", ResponseKind.NotCandidate) with { Reason = NotCandidateReason.Hospice },
            Response("r4", ResponseKind.Disagree) with { Disagreement = Disagreement.NotLcnec },
            Response("r5", ResponseKind.Snoozed) with { Until = Day0.AddDays(30) },
            Response("r6", ResponseKind.TestedElsewhere) with { OutsideTest = new OutsideTest("Hôpital Sud – pathologie", Day0.AddDays(-20), OutsideTestMethod.Ngs, OutsideTestResult.Positive, "EML4::ALK v3") },
            Response("r7", ResponseKind.TestedElsewhere) with { OutsideTest = new OutsideTest("Regional lab", Day0.AddDays(-9), OutsideTestMethod.Ihc, OutsideTestResult.Negative) },
        ];
        var ids = responses.Select(r => r.EventId).ToList();

        var read = PatientFactCodec.Read(PatientFactCodec.Write(responses));

        Assert.Equal(responses, read);
        Assert.Equal(ids, read.Select(r => r.EventId));
    }

    [Fact]
    public void Read_EveryTruncationOfARealBlob_IsInvalidData()
    {
        var blob = PatientFactCodec.Write(real.Patients.MaxBy(p => p.Count)!);
        var mrn = ((IPatientFact)real.Patients.MaxBy(p => p.Count)![0]).Mrn;

        for (var length = 0; length < blob.Length; length++)
        {
            var error = Assert.Throws<InvalidDataException>(() => PatientFactCodec.Read(blob.AsSpan(0, length)));
            Assert.DoesNotContain(mrn, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_MutatedRealBlobs_AreReadOrRefusedAsInvalidDataOnly_TheSameWayTwice()
    {
        var random = new Random(19);
        var blobs = real.Patients.Take(40).Select(PatientFactCodec.Write).ToList();
        var (read, refused) = (0, 0);

        for (var i = 0; i < 3000; i++)
        {
            var bytes = Mutate(blobs[random.Next(blobs.Count)], random);

            var first = Outcome(bytes);
            var second = Outcome(bytes);

            Assert.Equal(first, second);
            (read, refused) = first.StartsWith("read", StringComparison.Ordinal) ? (read + 1, refused) : (read, refused + 1);
        }
        // Both outcomes happen: a flipped text byte still reads, a flipped count or reference does not.
        Assert.InRange(read, 1, 2999);
        Assert.InRange(refused, 1, 2999);
    }

    private static string Outcome(byte[] bytes)
    {
        try
        {
            var facts = PatientFactCodec.Read(bytes);
            return "read " + string.Join('|', facts.Select(f => $"{f.EventId} {f}"));
        }
        catch (InvalidDataException e)
        {
            return "refused " + e.Message;
        }
    }

    private static byte[] Mutate(byte[] blob, Random random)
    {
        var bytes = blob.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }
        return [.. bytes];
    }

    private static int Occurrences(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var at = haystack.AsSpan().IndexOf(needle); at >= 0;)
        {
            count++;
            var next = haystack.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return count;
    }
}
