using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Hl7v2;

namespace LcnecBatch.Core.Formats.Fhir;

/// <summary>
/// Renders events as a FHIR R4 collection Bundle, the way <see cref="FhirExportReader"/> reads it back: a Patient
/// per demographics event, a Specimen (accessionIdentifier) and a DiagnosticReport per pathology report, a Condition
/// for its stage and topography, an Observation per IHC or molecular result. Every subject carries the mrn as an
/// identifier of type MR. Deterministic: no clock; ids and fullUrls derive from the events' content.
/// Not carried: smoking, pack-years, care team, and the raw NGS <c>File</c> of a molecular result.
/// </summary>
public static partial class FhirWriter
{
    private const string V2Identifiers = "http://terminology.hl7.org/CodeSystem/v2-0203";
    private const string MrnSystem = "urn:lcnec-batch:mrn";
    private const string AccessionSystem = "urn:lcnec-batch:accession";

    [GeneratedRegex(@"^\s*(?<five>[A-Z0-9]+)[-:](?<three>[A-Z0-9]+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FusionPartners();

    public static string Write(IEnumerable<TimelineEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var all = events.ToList();
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        var specimens = new Dictionary<(string Mrn, string Accession), string>();
        string SpecimenFor(ISpecimenFact fact)
        {
            if (!specimens.TryGetValue((fact.Mrn, fact.Accession), out var url))
            {
                var specimen = new Specimen { Id = Id("s", fact.Mrn, fact.Accession), AccessionIdentifier = new Identifier(AccessionSystem, fact.Accession), Subject = Subject(fact.Mrn) };
                url = Add(bundle, specimen);
                specimens[(fact.Mrn, fact.Accession)] = url;
            }
            return url;
        }
        foreach (var demographics in all.OfType<DemographicsRecorded>())
        {
            var patient = new Patient
            {
                Id = Id("p", demographics.EventId),
                Identifier = [MrnIdentifier(demographics.Mrn)],
                Gender = demographics.Sex switch
                {
                    Sex.Female => AdministrativeGender.Female,
                    Sex.Male => AdministrativeGender.Male,
                    Sex.Unknown => AdministrativeGender.Unknown,
                    _ => null,
                },
                BirthDate = demographics.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            };
            Add(bundle, patient);
        }
        var resultUrls = new Dictionary<(string, string), List<string>>();
        foreach (var result in all.Where(e => e is IhcResulted or MolecularResulted).Cast<ISpecimenFact>())
        {
            var observation = result is IhcResulted ihc ? Ihc(ihc) : Molecular((MolecularResulted)result);
            observation.Subject = Subject(result.Mrn);
            observation.Specimen = new ResourceReference(SpecimenFor(result));
            var url = Add(bundle, observation);
            (resultUrls.TryGetValue((result.Mrn, result.Accession), out var list) ? list : resultUrls[(result.Mrn, result.Accession)] = []).Add(url);
        }
        var listed = new HashSet<(string, string)>();
        foreach (var report in all.OfType<PathologyReported>())
        {
            var specimen = new Specimen
            {
                Id = Id("s", report.EventId),
                AccessionIdentifier = new Identifier(AccessionSystem, report.Accession),
                Subject = Subject(report.Mrn),
            };
            if (report.SpecimenSite is not null || report.Procedure is not null)
            {
                specimen.Collection = new Specimen.CollectionComponent
                {
                    BodySite = report.SpecimenSite is { } site ? new CodeableConcept { Text = site } : null,
                    Method = report.Procedure is { } procedure ? new CodeableConcept { Text = procedure } : null,
                };
            }
            var specimenUrl = Add(bundle, specimen);
            var diagnostic = new DiagnosticReport
            {
                Id = Id("r", report.EventId),
                Identifier = [new Identifier(AccessionSystem, report.Accession) { Type = new CodeableConcept(V2Identifiers, "ACSN", "Accession ID") }],
                Status = report.Amends ? DiagnosticReport.DiagnosticReportStatus.Amended
                    : report.Addendum ? DiagnosticReport.DiagnosticReportStatus.Appended
                    : DiagnosticReport.DiagnosticReportStatus.Final,
                Category = [new CodeableConcept("http://loinc.org", "LP7839-6", "Pathology")],
                Code = new CodeableConcept("http://loinc.org", "11529-5", "Surgical pathology study"),
                Subject = Subject(report.Mrn),
                Effective = new FhirDateTime(report.ReportDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                Specimen = [new ResourceReference(specimenUrl)],
                Conclusion = report.FinalDiagnosis,
            };
            if (report.Morphology is { } morphology)
            {
                diagnostic.ConclusionCode.Add(new CodeableConcept(LabCodes.FhirUri(Hl7v2.CodeSystem.IcdO3), morphology));
            }
            // The first report of an accession lists its results: that is how a reader finds their accession too.
            if (listed.Add((report.Mrn, report.Accession)) && resultUrls.TryGetValue((report.Mrn, report.Accession), out var results))
            {
                diagnostic.Result = results.Select(u => new ResourceReference(u)).ToList();
            }
            var reportUrl = Add(bundle, diagnostic);
            if (report.Stage is not null || report.Topography is not null)
            {
                var condition = new Condition
                {
                    Id = Id("c", report.EventId),
                    Subject = Subject(report.Mrn),
                    Evidence = [new Condition.EvidenceComponent { Detail = [new ResourceReference(reportUrl)] }],
                };
                if (report.Topography is { } topography)
                {
                    condition.BodySite.Add(new CodeableConcept(LabCodes.FhirUri(Hl7v2.CodeSystem.IcdO3), topography));
                }
                if (report.Stage is { } stage)
                {
                    condition.Stage.Add(new Condition.StageComponent { Summary = new CodeableConcept { Text = stage } });
                }
                Add(bundle, condition);
            }
        }
        var body = new FhirJsonSerializer().SerializeToString(bundle, true);
        bundle.Id = Hash(body)[..32];
        return new FhirJsonSerializer().SerializeToString(bundle, true) + "\n";
    }

    private static Observation Ihc(IhcResulted ihc)
    {
        var code = new CodeableConcept { Text = $"{ihc.Marker} IHC" };
        code.Coding.Add(ihc.IsAlk
            ? new Coding("http://loinc.org", "47303-3", "ALK Ag [Presence] in Tissue by Immune stain")
            : new Coding(LabCodes.LocalSystem, ihc.Marker, $"{ihc.Marker} IHC"));
        var value = ihc.Result switch
        {
            IhcResult.Positive => new CodeableConcept("http://snomed.info/sct", "10828004", "Positive"),
            IhcResult.Negative => new CodeableConcept("http://snomed.info/sct", "260385009", "Negative"),
            IhcResult.Equivocal => new CodeableConcept("http://snomed.info/sct", "42425007", "Equivocal"),
            _ => new CodeableConcept { Text = "not evaluable" },
        };
        var observation = new Observation
        {
            Id = Id("o", ihc.EventId),
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")],
            Code = code,
            Effective = new FhirDateTime(ihc.ResultDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            Method = new CodeableConcept { Text = ihc.AntibodyClone is { } clone ? $"IHC ({clone})" : "IHC" },
            Value = value,
        };
        if (ihc.Value is { } number)
        {
            observation.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept { Text = "percent of tumour cells" },
                Value = new Quantity(number, "%", "http://unitsofmeasure.org"),
            });
        }
        if (ihc.Comment is { } comment)
        {
            observation.Note.Add(new Annotation { Text = comment });
        }
        return observation;
    }

    private static Observation Molecular(MolecularResulted molecular)
    {
        var observation = new Observation
        {
            Id = Id("o", molecular.EventId),
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")],
            Code = new CodeableConcept("http://loinc.org", LabCodes.VariantAssessment, "Genetic variant assessment"),
            Effective = new FhirDateTime(molecular.ResultDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            Method = molecular.Method switch
            {
                MolecularMethod.Ngs => new CodeableConcept("http://loinc.org", "LA26398-0", "Sequencing", "NGS"),
                MolecularMethod.Fish => new CodeableConcept { Text = "FISH" },
                _ => new CodeableConcept { Text = "RT-PCR" },
            },
            Value = molecular.Result switch
            {
                MolecularResult.Detected => new CodeableConcept("http://loinc.org", "LA9633-4", "Present"),
                MolecularResult.NotDetected => new CodeableConcept("http://loinc.org", "LA9634-2", "Absent"),
                MolecularResult.Indeterminate => new CodeableConcept { Text = "Indeterminate" },
                _ => new CodeableConcept { Text = "Failed" },
            },
        };
        // A fusion names both partners, one gene-studied component each, 5' first (EML4, then ALK).
        var genes = new List<string>();
        if (molecular.Alteration is { } alteration && FusionPartners().Match(alteration) is { Success: true } m
            && m.Groups["three"].Value.Equals(molecular.Gene, StringComparison.OrdinalIgnoreCase)
            && !m.Groups["five"].Value.Equals(molecular.Gene, StringComparison.OrdinalIgnoreCase))
        {
            genes.Add(m.Groups["five"].Value.ToUpperInvariant());
        }
        genes.Add(molecular.Gene);
        foreach (var gene in genes)
        {
            var concept = gene.Equals("ALK", StringComparison.OrdinalIgnoreCase)
                ? new CodeableConcept("http://www.genenames.org/geneId", "HGNC:427", "ALK")
                : new CodeableConcept { Text = gene };
            observation.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept("http://loinc.org", LabCodes.GeneStudied, "Gene studied [ID]"),
                Value = concept,
            });
        }
        if (molecular.Alteration is { } written)
        {
            observation.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept("http://loinc.org", LabCodes.DiscreteVariant, "Discrete genetic variant"),
                Value = new CodeableConcept { Text = written },
            });
        }
        return observation;
    }

    private static Identifier MrnIdentifier(string mrn) =>
        new(MrnSystem, mrn) { Type = new CodeableConcept(V2Identifiers, "MR", "Medical record number") };

    private static ResourceReference Subject(string mrn) => new() { Identifier = MrnIdentifier(mrn) };

    private static string Add(Bundle bundle, Resource resource)
    {
        var url = $"urn:uuid:{new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{resource.TypeName}/{resource.Id}")).AsSpan(0, 16))}";
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = resource });
        return url;
    }

    private static string Id(string prefix, params string[] parts) => $"{prefix}-{Hash(string.Join('\u001f', parts))[..24]}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
