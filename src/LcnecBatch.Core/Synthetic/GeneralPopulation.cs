namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// The bulk of a thoracic pathology service: adenocarcinoma, squamous cell carcinoma, small cell carcinoma,
/// carcinoids and benign lung or lymph node specimens, with their IHC and molecular work-up.
/// </summary>
internal static class GeneralPopulation
{
    private enum Entity { Adenocarcinoma, Squamous, SmallCell, Carcinoid, Benign }

    private static readonly string[] OncologyTeams = ["thoracic-onc-tj", "thoracic-onc-north", "thoracic-onc-east"];

    public static SyntheticPatient Add(ArchiveBuilder b, string mrn)
    {
        var entity = b.Pick((Entity.Adenocarcinoma, 0.38), (Entity.Squamous, 0.2), (Entity.SmallCell, 0.1), (Entity.Carcinoid, 0.05), (Entity.Benign, 0.27));
        var date = b.Day(b.Next(0, b.Options.Days));
        var batch = b.Arrival(date);
        var (age, sex, smoking) = AddDemographics(b, mrn, entity, date, batch);

        var site = entity is Entity.Benign && b.Chance(0.3) ? b.Pick(ReportWording.LymphNodes)
            : entity is Entity.Adenocarcinoma or Entity.Squamous or Entity.Carcinoid && b.Chance(0.3) ? b.Pick(ReportWording.LungResections)
            : b.Pick(ReportWording.LungBiopsies);
        var specimen = b.NewSpecimen('S', date);
        var resection = ReportWording.LungResections.Contains(site);
        int? size = resection ? b.Next(8, 55) : null;
        var (lines, morphology, histology) = Diagnosis(b, entity, site, size);
        var parts = new List<(SiteChoice, string[])> { (site, lines) };
        if (entity != Entity.Benign && !site.Site.StartsWith("Lymph", StringComparison.Ordinal) && b.Chance(0.25))
        {
            parts.Add((b.Pick(resection ? ReportWording.NodeDissections : ReportWording.LymphNodes), [b.Pick(ReportWording.NodeNegative)]));
        }
        var stage = entity == Entity.Benign || b.Chance(0.35) ? null
            : ReportWording.Stage(b, b.Chance(entity switch { Entity.SmallCell => 0.75, Entity.Carcinoid => 0.1, _ => 0.5 }));
        var plan = new ReportPlan(site.Procedure.Contains("FNA", StringComparison.Ordinal) ? ReportForm.Cytology : ReportForm.Surgical, parts)
        {
            History = SectionWording.History(b, age, sex, smoking, site, b.Chance(0.1) ? b.Pick(OtherHistory) : null, size),
            FamilyHistory = b.Chance(0.06) ? b.Pick(FamilyHistories) : null,
            Gross = SectionWording.Gross(b, site, size),
            Frozen = resection && b.Chance(0.4) ? SectionWording.Frozen(b, site, histology) : null,
            Microscopic = SectionWording.Microscopic(b, histology, histology == Histology.Benign ? lines[0] : null),
            Ihc = SectionWording.Stains(b, histology),
            Comment = entity is Entity.Adenocarcinoma or Entity.Squamous && b.Chance(0.4) ? b.Pick(SectionWording.PlainComments) : null,
            Synoptic = resection ? SectionWording.Synoptic(b, site, HistologicType(entity, lines[0]), size, stage) : null,
        };
        var topography = entity == Entity.Benign || b.Chance(0.15) ? null : site.Topography ?? "C34.9";
        var report = new ReportRow(specimen, mrn, date, batch, LcnecScenarios.SiteColumn(b, site), site.Procedure, WholeReport.Render(b, plan),
            morphology, topography, stage, false, b.Chance(0.04) ? "thoracic-onc-east" : null, AffirmsLcnec: false, ReportWording.IsAdvancedStage(stage))
        {
            Status = b.Chance(0.3) ? "final" : null,
        };
        b.Archive.Reports.Add(report);

        var ihcDate = b.Clamp(date.AddDays(b.Chance(0.3) ? b.Next(1, 3) : 0));
        var ihcBatch = ihcDate == date ? batch : b.Arrival(ihcDate);
        var alkIhc = Immunohistochemistry(b, entity, specimen, mrn, ihcDate, ihcBatch);
        if (entity is Entity.Adenocarcinoma or Entity.Squamous)
        {
            Molecular(b, entity, mrn, date, alkIhc);
            if (b.Chance(0.04))
            {
                var on = b.Clamp(date.AddDays(b.Next(1, 6)));
                b.Archive.Reports.Add(report with
                {
                    Date = on,
                    Batch = on,
                    Addendum = b.Chance(0.7),
                    Status = "addendum",
                    Stage = null,
                    CareTeam = null,
                    Advanced = false,
                    Diagnosis = $"{report.Diagnosis}\n\nADDENDUM:\nPD-L1 (22C3) tumor proportion score {b.Next(0, 90)}% on block A1. The final diagnosis is unchanged.",
                });
            }
        }
        if (entity != Entity.Benign && entity != Entity.Carcinoid && b.Chance(0.2) && date.AddDays(4) <= b.LastDay)
        {
            var on = b.Clamp(date.AddDays(b.Next(4, 21)));
            var node = b.Pick(ReportWording.LymphNodes);
            var name = entity switch { Entity.Adenocarcinoma => "adenocarcinoma", Entity.Squamous => "squamous cell carcinoma", _ => "small cell carcinoma" };
            var metastatic = b.Chance(0.5);
            var nodePlan = new ReportPlan(node.Procedure.Contains("FNA", StringComparison.Ordinal) ? ReportForm.Cytology : ReportForm.Surgical,
                [(node, metastatic ? ["Positive for malignant cells.", ReportWording.NodeMetastasis(name)] : [b.Pick(ReportWording.NodeNegative)])])
            {
                History = SectionWording.History(b, age, sex, smoking, node, $"Known {name} of the lung; staging."),
                Gross = SectionWording.Gross(b, node, null),
                Microscopic = metastatic ? SectionWording.Microscopic(b, histology) : SectionWording.Microscopic(b, Histology.Node),
            };
            b.Archive.Reports.Add(new ReportRow(b.NewSpecimen('S', on), mrn, on, b.Arrival(on), node.Site, node.Procedure, WholeReport.Render(b, nodePlan),
                metastatic ? morphology : null, null, null, false, null, AffirmsLcnec: false, Advanced: false));
        }
        var label = entity is Entity.SmallCell or Entity.Carcinoid ? LcnecLabel.Lookalike : LcnecLabel.None;
        return new SyntheticPatient(mrn, label, entity.ToString().ToLowerInvariant(), IsScenario: false);
    }

    private static readonly string[] OtherHistory =
    [
        "History of breast carcinoma treated 12 years ago.", "Prior right hemicolectomy for a benign polyp.", "Rheumatoid arthritis on methotrexate.",
        "Chronic obstructive pulmonary disease.",
    ];

    private static readonly string[] FamilyHistories =
    [
        "Mother with breast carcinoma.", "Father with colon cancer at 70.", "Brother with lung adenocarcinoma.", "Non-contributory.",
    ];

    private static string HistologicType(Entity entity, string line) => entity switch
    {
        Entity.Adenocarcinoma => line.Contains("mucinous", StringComparison.Ordinal) ? "Invasive mucinous adenocarcinoma"
            : line.Contains("lepidic", StringComparison.Ordinal) ? "Invasive adenocarcinoma, lepidic predominant" : "Invasive adenocarcinoma",
        Entity.Squamous => "Squamous cell carcinoma",
        _ => line.StartsWith("Atypical", StringComparison.Ordinal) ? "Atypical carcinoid tumor" : "Typical carcinoid tumor",
    };

    private static (int Age, string Sex, string Smoking) AddDemographics(ArchiveBuilder b, string mrn, Entity entity, DateOnly date, DateOnly reportBatch)
    {
        var female = b.Chance(entity switch { Entity.Squamous => 0.3, Entity.SmallCell => 0.45, Entity.Carcinoid => 0.6, _ => 0.5 });
        var sex = b.Chance(0.01) ? "U" : b.Chance(0.05) ? (female ? "female" : "male") : female ? "F" : "M";
        var (low, high) = entity switch
        {
            Entity.Adenocarcinoma => (45, 86),
            Entity.Squamous => (55, 86),
            Entity.SmallCell => (50, 86),
            Entity.Carcinoid => (35, 76),
            _ => (35, 86),
        };
        var smoking = entity switch
        {
            Entity.Adenocarcinoma => b.Pick(("never", 0.3), ("former", 0.4), ("current", 0.3)),
            Entity.Squamous => b.Pick(("never", 0.05), ("former", 0.45), ("current", 0.5)),
            Entity.SmallCell => b.Pick(("never", 0.03), ("former", 0.4), ("current", 0.57)),
            Entity.Carcinoid => b.Pick(("never", 0.55), ("former", 0.3), ("current", 0.15)),
            _ => b.Pick(("never", 0.4), ("former", 0.35), ("current", 0.2), ("unknown", 0.05)),
        };
        var withheld = b.Chance(0.07);
        var careTeam = entity == Entity.Benign ? "pulmonology" : b.Pick(OncologyTeams);
        var batch = LcnecScenarios.Later(b.Options.Start, reportBatch.AddDays(b.Chance(0.3) ? -b.Next(1, 4) : 0));
        var age = b.Next(low, high);
        var birth = b.Chance(0.03) ? (DateOnly?)null : b.BirthDate(age, date);
        b.Patient(mrn, batch, sex, birth, withheld ? null : smoking, withheld ? null : b.PackYears(smoking, age), careTeam);

        // Demographics merge field by field: a later row fills in what the first one left empty, or moves the patient.
        var update = b.Clamp(batch.AddDays(b.Next(3, 16)));
        if (withheld && b.Chance(0.7) && update > batch)
        {
            b.Patient(mrn, update, null, null, smoking == "unknown" ? "never" : smoking, b.PackYears(smoking, age), null);
        }
        else if (!withheld && b.Chance(0.03) && update > batch)
        {
            b.Patient(mrn, update, null, null, null, null, entity == Entity.Benign ? "thoracic-onc-north" : "thoracic-onc-east");
        }
        return (age, sex, withheld ? "unknown" : smoking);
    }

    private static (string[] Lines, string? Morphology, Histology Histology) Diagnosis(ArchiveBuilder b, Entity entity, SiteChoice site, int? size)
    {
        string Line(string[] pool) => ReportWording.WithSize(b.Pick(pool), size);
        var coded = b.Chance(0.88);
        return entity switch
        {
            Entity.Adenocarcinoma => ([Line(ReportWording.Adenocarcinoma)], coded ? "8140/3" : null, Histology.Adenocarcinoma),
            Entity.Squamous => ([Line(ReportWording.Squamous)], coded ? "8070/3" : null, Histology.Squamous),
            Entity.SmallCell => ([b.Pick(ReportWording.SmallCell)], coded ? "8041/3" : null, Histology.SmallCell),
            Entity.Carcinoid => b.Chance(0.75)
                ? ([ReportWording.WithSize("Typical carcinoid tumor, {0} cm.", size)], coded ? "8240/3" : null, Histology.Carcinoid)
                : ([ReportWording.WithSize($"Atypical carcinoid tumor, {{0}} cm, with {b.Next(2, 10)} mitoses per 2 mm2.", size)], coded ? "8249/3" : null, Histology.AtypicalCarcinoid),
            _ => site.Site.StartsWith("Lymph", StringComparison.Ordinal)
                ? ([b.Pick(ReportWording.NodeNegative)], null, Histology.Node)
                : ([b.Pick(ReportWording.Benign)], null, Histology.Benign),
        };
    }

    /// <summary>The markers of the entity; returns the ALK IHC result when ALK was stained.</summary>
    private static string? Immunohistochemistry(ArchiveBuilder b, Entity entity, Specimen s, string mrn, DateOnly date, DateOnly batch)
    {
        switch (entity)
        {
            case Entity.SmallCell:
                LcnecMentions.Markers(b, s, mrn, date, batch, MarkerPanel.SmallCell);
                return null;
            case Entity.Carcinoid:
                LcnecMentions.Markers(b, s, mrn, date, batch, MarkerPanel.Carcinoid);
                return null;
            case Entity.Benign:
                return null;
        }
        if (entity == Entity.Adenocarcinoma)
        {
            LcnecMentions.Markers(b, s, mrn, date, batch, MarkerPanel.Adenocarcinoma);
        }
        else
        {
            b.Ihc(s, mrn, date, batch, "P40", "BC28", "positive");
            b.Ihc(s, mrn, date, batch, "TTF1", "8G7G3/1", "negative");
        }
        if (b.Chance(0.7))
        {
            var tps = b.Pick([0, 0, 1, 5, 10, 20, 30, 50, 60, 80, 90]);
            b.Ihc(s, mrn, date, batch, "PDL1", b.Chance(0.8) ? "22C3" : "SP263", tps >= 1 ? "positive" : "negative", tps, $"TPS {tps}%");
        }
        if (entity == Entity.Adenocarcinoma && b.Chance(0.5))
        {
            var result = b.Chance(0.06) ? "positive" : "negative";
            b.Ihc(s, mrn, date, batch, "ALK", "D5F3", result, comment: LcnecScenarios.AlkComment("D5F3", result));
            return result;
        }
        return null;
    }

    private static void Molecular(ArchiveBuilder b, Entity entity, string mrn, DateOnly reported, string? alkIhc)
    {
        if (alkIhc == "positive" && b.Chance(0.5))
        {
            var fishDate = reported.AddDays(b.Next(4, 10));
            if (fishDate <= b.LastDay)
            {
                b.Molecular(b.NewSpecimen('M', fishDate), mrn, fishDate, b.Arrival(fishDate), "FISH", "ALK", "detected", "ALK rearrangement", false);
                return;
            }
        }
        var date = reported.AddDays(b.Next(5, 15));
        if (!b.Chance(entity == Entity.Adenocarcinoma ? 0.45 : 0.1) || date > b.LastDay)
        {
            return;
        }
        var driver = alkIhc == "positive" ? "ALK"
            : entity == Entity.Squamous ? "none"
            : b.Pick(("EGFR", 0.15), ("KRAS", 0.25), ("ALK", 0.03), ("none", 0.57));
        var specimen = b.NewSpecimen('M', date);
        var batch = b.Arrival(date);
        var raw = b.Chance(0.6);
        // Some raw files land a night or two before the signed-out report that names their accession.
        var rawBatch = raw && b.Chance(0.2) && date > b.Options.Start.AddDays(1) ? LcnecScenarios.Later(b.Options.Start, date.AddDays(-b.Next(1, 3))) : batch;
        var namesFile = raw && rawBatch == batch;
        var indeterminate = b.Chance(0.04) ? b.Pick(["EGFR", "KRAS"]) : null;
        var calls = new List<VcfCall>();
        string? alkAlteration = null;
        foreach (var gene in new[] { "ALK", "EGFR", "KRAS" })
        {
            var (result, alteration) = gene == indeterminate ? ("indeterminate", null)
                : gene != driver ? ("not_detected", (string?)null)
                : gene switch
                {
                    "ALK" => ("detected", b.Chance(0.6) ? "EML4-ALK fusion (E13:A20)" : "EML4-ALK fusion (E6:A20)"),
                    "EGFR" => ("detected", b.Chance(0.6) ? "EGFR L858R" : "EGFR exon 19 deletion"),
                    _ => ("detected", b.Chance(0.6) ? "KRAS G12C" : "KRAS G12D"),
                };
            b.Molecular(specimen, mrn, date, batch, "NGS", gene, result, alteration, namesFile);
            alkAlteration = gene == "ALK" ? alteration : alkAlteration;
            var variant = alteration switch
            {
                "EGFR L858R" => VcfContent.EgfrL858R,
                "KRAS G12C" => VcfContent.KrasG12C,
                "KRAS G12D" => VcfContent.KrasG12D,
                _ => null,
            };
            if (variant is not null)
            {
                calls.Add(VcfContent.Call(b, variant));
            }
        }
        if (raw)
        {
            if (entity == Entity.Squamous || calls.Count == 0 || b.Chance(0.4))
            {
                calls.Add(VcfContent.Call(b, b.Pick(VcfContent.Tp53Hotspots)));
            }
            if (b.Chance(0.3))
            {
                var filtered = VcfContent.Tp53Hotspots.FirstOrDefault(v => calls.All(c => c.Variant != v));
                if (filtered is not null)
                {
                    calls.Add(VcfContent.Call(b, filtered, passing: false));
                }
            }
            b.Archive.RawFiles.Add(new RawNgsFile(specimen, rawBatch, rawBatch < date ? rawBatch : date, calls));
            if (driver == "ALK")
            {
                // The RNA panel's fusion caller, delivered beside the DNA VCF.
                var eml4Exon = alkAlteration?.Contains("E6:", StringComparison.Ordinal) == true ? 6 : 13;
                b.Archive.RawFiles.Add(new RawNgsFile(specimen, rawBatch, rawBatch < date ? rawBatch : date, [])
                {
                    Format = b.Chance(0.5) ? "star-fusion" : "arriba",
                    AlkFusionFilter = "PASS",
                    Eml4Exon = eml4Exon,
                });
            }
        }
    }
}
