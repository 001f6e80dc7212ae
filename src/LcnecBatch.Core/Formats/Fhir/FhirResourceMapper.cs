using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Hl7v2;
using FhirCodeSystem = LcnecBatch.Core.Formats.Hl7v2.CodeSystem;

namespace LcnecBatch.Core.Formats.Fhir;

/// <summary>
/// FHIR R4 resources to events, references resolved within the file:
/// <list type="bullet">
/// <item>Patient → <see cref="DemographicsRecorded"/>: mrn from the identifier of type MR (else the first), gender, birthDate.</item>
/// <item>DiagnosticReport (pathology) → <see cref="PathologyReported"/>: accession from an identifier of type ACSN, else
/// the specimen's accessionIdentifier, else the first identifier; date from issued, else effective; text from
/// conclusion, else conclusionCode, else text/plain presentedForm; ICD-O-3 morphology from conclusionCode;
/// topography and stage (stage.summary) from a Condition whose evidence points at the report; site and procedure
/// from the specimen's collection. A report with no readable text (PDF or XML only) is rejected, to be read by hand.</item>
/// <item>Observation for IHC (LOINC 47303-3, a local code named <c>ALK IHC</c>, or any code with an IHC method)
/// → <see cref="IhcResulted"/>: clone from the method (<c>IHC (D5F3)</c>), result from valueCodeableConcept or valueString,
/// value from a Quantity component, comment from note.</item>
/// <item>Observation for a genomic finding (Genomics Reporting IG: code 69548-6 or gene-studied 48018-6 components, one
/// per fusion partner; or an ALK FISH/transcript LOINC) → <see cref="MolecularResulted"/>: LA9633-4 Present is detected,
/// LA9634-2 Absent not detected; the alteration from component 81252-9; the gene is the partner that is a known
/// kinase driver (ALK in EML4-ALK), else the last one.</item>
/// </list>
/// Reports and results that are not final (registered, partial, preliminary, cancelled) are passed over;
/// entered-in-error is rejected, since a retraction needs a person.
/// </summary>
internal sealed class FhirResourceMapper
{
    private const string AccessionType = "ACSN";
    private const string MrnType = "MR";

    /// <summary>3' partners of oncogenic fusions: in <c>EML4-ALK</c> the gene tested is ALK.</summary>
    private static readonly HashSet<string> KinaseDrivers = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALK", "ROS1", "RET", "NTRK1", "NTRK2", "NTRK3", "MET", "FGFR1", "FGFR2", "FGFR3", "BRAF", "NRG1", "EGFR",
    };

    /// <summary>HGNC ids, for a gene-studied coding without a display ([V] pathology.md §2).</summary>
    private static readonly Dictionary<string, string> HgncSymbols = new(StringComparer.OrdinalIgnoreCase) { ["HGNC:427"] = "ALK" };

    private readonly string _sourcePath;
    private readonly DateOnly _batchDate;
    private readonly List<FhirItem> _items;
    private readonly Dictionary<string, FhirItem> _byReference = new(StringComparer.Ordinal);
    private readonly Dictionary<FhirItem, FhirItem> _reportOfObservation = [];
    private readonly Dictionary<FhirItem, List<Condition>> _conditionsOfReport = [];
    private readonly HashSet<FhirItem> _linkedConditions = [];
    private readonly HashSet<FhirItem> _rejectedPatients = [];

    public FhirResourceMapper(string sourcePath, DateOnly batchDate, List<FhirItem> items)
    {
        _sourcePath = sourcePath;
        _batchDate = batchDate;
        _items = items;
        foreach (var item in items)
        {
            if (item.Resource.Id is { } id)
            {
                _byReference.TryAdd($"{item.Resource.TypeName}/{id}", item);
            }
            if (item.FullUrl is { } url)
            {
                _byReference.TryAdd(url, item);
            }
        }
        foreach (var item in items)
        {
            if (item.Resource is DiagnosticReport report)
            {
                foreach (var result in report.Result)
                {
                    if (Resolve(result) is { } observation)
                    {
                        _reportOfObservation.TryAdd(observation, item);
                    }
                }
            }
            else if (item.Resource is Condition condition)
            {
                foreach (var reference in condition.Evidence.SelectMany(e => e.Detail))
                {
                    if (Resolve(reference) is { Resource: DiagnosticReport } target)
                    {
                        (_conditionsOfReport.TryGetValue(target, out var list) ? list : _conditionsOfReport[target] = []).Add(condition);
                        _linkedConditions.Add(item);
                    }
                }
            }
        }
    }

    public void Map(Action<TimelineEvent> onEvent, Action<Rejection> onRejection)
    {
        // Patients first: a report's subject may name a patient rejected further down the file.
        var ordered = _items.Where(i => i.Resource is Patient).Concat(_items.Where(i => i.Resource is not Patient));
        var events = new List<(int Line, TimelineEvent Event)>();
        foreach (var item in ordered)
        {
            try
            {
                if (MapOne(item) is { } fact)
                {
                    CheckDates(item, fact);
                    events.Add((item.Line, fact));
                }
            }
            catch (FhirDataException e)
            {
                if (item.Resource is Patient && !e.KeepsSubject)
                {
                    _rejectedPatients.Add(item);
                }
                onRejection(new Rejection(_sourcePath, e.Line, e.Path, e.Reason));
            }
        }
        foreach (var (_, fact) in events.OrderBy(e => e.Line))
        {
            onEvent(fact);
        }
    }

    /// <summary>A date no fact can carry (<see cref="FactDates"/>) rejects the resource.</summary>
    private void CheckDates(FhirItem item, TimelineEvent fact)
    {
        var (element, why) = fact switch
        {
            DemographicsRecorded { BirthDate: { } birth } => ("birthDate", FactDates.WhyNotBirthDate(birth, _batchDate)),
            PathologyReported r => ("issued", FactDates.WhyNotSpecimenDate(r.ReportDate, _batchDate)),
            IhcResulted i => ("effective", FactDates.WhyNotSpecimenDate(i.ResultDate, _batchDate)),
            MolecularResulted m => ("effective", FactDates.WhyNotSpecimenDate(m.ResultDate, _batchDate)),
            _ => ("", null),
        };
        if (why is not null)
        {
            // A Patient rejected for its birth date still names its mrn: its reports keep their subject.
            throw new FhirDataException(item.Line, $"{item.Path}.{element}", why, keepsSubject: true);
        }
    }

    private TimelineEvent? MapOne(FhirItem item) => item.Resource switch
    {
        Patient patient => Demographics(item, patient),
        DiagnosticReport report => Report(item, report),
        Observation observation => Result(item, observation),
        Condition => CheckCondition(item),
        _ => null,
    };

    private static FhirDataException Fail(FhirItem item, string? element, string reason) =>
        new(item.Line, element is null ? item.Path : $"{item.Path}.{element}", reason);

    private SourceRef Source(FhirItem item) => new(_sourcePath, item.Line);

    private DemographicsRecorded Demographics(FhirItem item, Patient patient)
    {
        var mrn = Mrn(patient) ?? throw Fail(item, "identifier", "Patient has no identifier (mrn)");
        // Read as written: the SDK's typed getter throws on a code outside its value set.
        Sex? sex = (patient.GenderElement?.JsonValue as string) switch
        {
            null => null,
            "female" => Events.Sex.Female,
            "male" => Events.Sex.Male,
            "other" or "unknown" => Events.Sex.Unknown,
            _ => throw Fail(item, "gender", "value is not a FHIR administrative gender (male, female, other, unknown)"),
        };
        DateOnly? birth = null;
        if (patient.BirthDate is { } text)
        {
            birth = FullDate(text) ?? throw Fail(item, "birthDate", "value is not a full date (yyyy-MM-dd)");
        }
        return new DemographicsRecorded { KnownOn = _batchDate, Source = Source(item), Mrn = mrn, Sex = sex, BirthDate = birth };
    }

    private static string? Mrn(Patient patient) =>
        patient.Identifier.FirstOrDefault(i => IsOfType(i, MrnType) && !string.IsNullOrWhiteSpace(i.Value))?.Value?.Trim()
        ?? patient.Identifier.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value))?.Value?.Trim();

    private static bool IsOfType(Identifier identifier, string code) =>
        identifier.Type?.Coding.Any(c => c.Code == code) == true;

    private FhirItem? Resolve(ResourceReference? reference)
    {
        if (reference?.Reference is not { Length: > 0 } target || target.StartsWith('#'))
        {
            return null;
        }
        if (_byReference.TryGetValue(target, out var item))
        {
            return item;
        }
        // An absolute or versioned reference (https://server/fhir/Patient/7/_history/2) still names Type/id.
        var parts = target.Split('/');
        var history = Array.IndexOf(parts, "_history");
        var end = history > 0 ? history : parts.Length;
        return end >= 2 && _byReference.TryGetValue($"{parts[end - 2]}/{parts[end - 1]}", out item) ? item : null;
    }

    private string SubjectMrn(FhirItem item, ResourceReference? subject)
    {
        if (subject?.Identifier?.Value is { } value && !string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }
        if (Resolve(subject) is { Resource: Patient patient } target)
        {
            if (_rejectedPatients.Contains(target))
            {
                throw Fail(item, "subject", "subject Patient was rejected");
            }
            return Mrn(patient) ?? throw Fail(item, "subject", "subject Patient has no identifier (mrn)");
        }
        throw Fail(item, "subject", "subject does not resolve to a Patient in this file and carries no identifier");
    }

    private Specimen? SpecimenOf(ResourceReference? reference) => Resolve(reference)?.Resource as Specimen;

    private string? Accession(List<Identifier> identifiers, IEnumerable<ResourceReference> specimens, FhirItem? report)
    {
        var accession = identifiers.FirstOrDefault(i => IsOfType(i, AccessionType) && !string.IsNullOrWhiteSpace(i.Value))?.Value
            ?? specimens.Select(SpecimenOf).Select(s => s?.AccessionIdentifier?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
            ?? (report?.Resource is DiagnosticReport dr ? Accession(dr.Identifier, dr.Specimen, null) : null)
            ?? (report is null ? identifiers.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value))?.Value : null);
        return accession?.Trim().ToUpperInvariant();
    }

    /// <summary>A status as written (the SDK's typed getter throws on an unknown code).</summary>
    private static string? StatusOf(PrimitiveType? status) => status?.JsonValue as string;

    /// <summary>Final, amended, corrected, appended or unknown go on; not yet final is passed over; entered-in-error needs a person.</summary>
    private static bool IsFinal(PrimitiveType? status, FhirItem item) => StatusOf(status) switch
    {
        "registered" or "partial" or "preliminary" or "cancelled" => false,
        "entered-in-error" => throw Fail(item, "status", $"status entered-in-error retracts an earlier {(item.Resource is DiagnosticReport ? "report" : "result")}: review it by hand"),
        _ => true,
    };

    private PathologyReported? Report(FhirItem item, DiagnosticReport report)
    {
        if (!IsFinal(report.StatusElement, item) || !IsPathology(report))
        {
            return null;
        }
        var mrn = SubjectMrn(item, report.Subject);
        var accession = Accession(report.Identifier, report.Specimen, null)
            ?? throw Fail(item, "identifier", "no accession (identifier of type ACSN, specimen.accessionIdentifier or identifier)");
        var date = Date(report.Issued, report.Effective) ?? throw Fail(item, "issued", "no report date (issued, effectiveDateTime or effectivePeriod.start as a full date)");
        var text = ReportText(report) ?? throw Fail(item, "presentedForm", "report carries no text (conclusion, conclusionCode or text/plain presentedForm): review it by hand");
        var conditions = _conditionsOfReport.TryGetValue(item, out var linked) ? linked : [];
        var codings = report.ConclusionCode.SelectMany(c => c.Coding)
            .Concat(conditions.SelectMany(c => (c.Code?.Coding ?? []).Concat(c.BodySite.SelectMany(b => b.Coding))))
            .Where(c => LabCodes.FromFhir(c.System) == FhirCodeSystem.IcdO3 && c.Code is not null)
            .Select(c => c.Code!.Trim())
            .ToList();
        var specimen = report.Specimen.Select(SpecimenOf).FirstOrDefault(s => s is not null);
        return new PathologyReported
        {
            KnownOn = _batchDate,
            Source = Source(item),
            Mrn = mrn,
            Accession = accession,
            ReportDate = date,
            FinalDiagnosis = text,
            SpecimenSite = Words(specimen?.Collection?.BodySite),
            Procedure = Words(specimen?.Collection?.Method),
            Morphology = codings.FirstOrDefault(LabCodes.IsMorphology),
            Topography = codings.FirstOrDefault(LabCodes.IsTopography),
            Stage = conditions.SelectMany(c => c.Stage).Select(s => Words(s.Summary)).FirstOrDefault(s => s is not null),
            Addendum = StatusOf(report.StatusElement) is "amended" or "corrected" or "appended",
            Amends = StatusOf(report.StatusElement) is "amended" or "corrected",
        };
    }

    private static bool IsPathology(DiagnosticReport report)
    {
        var categories = report.Category.SelectMany(c => c.Coding).Select(c => c.Code).Where(c => c is not null).ToList();
        if (categories.Any(c => c is "LP7839-6" or "SP" or "CP" or "PAT"))
        {
            return true;
        }
        return categories.Count == 0 || !categories.All(LabCodes.IsNonPathologySection);
    }

    private static string? ReportText(DiagnosticReport report)
    {
        if (report.Conclusion?.Trim() is { Length: > 0 } conclusion)
        {
            return conclusion.Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        var coded = report.ConclusionCode.Select(Words).Where(w => w is not null).ToList();
        if (coded.Count > 0)
        {
            return string.Join("\n", coded);
        }
        var plain = report.PresentedForm
            .Where(a => a.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true && a.Data is { Length: > 0 })
            .Select(a => Encoding.UTF8.GetString(a.Data!).Replace("\r\n", "\n", StringComparison.Ordinal).Trim())
            .Where(t => t.Length > 0)
            .ToList();
        return plain.Count > 0 ? string.Join("\n", plain) : null;
    }

    /// <summary>What a CodeableConcept says in words: its text, else its first display, else its first code.</summary>
    private static string? Words(CodeableConcept? concept) =>
        concept is null ? null
        : concept.Text?.Trim() is { Length: > 0 } text ? text
        : concept.Coding.Select(c => c.Display?.Trim()).FirstOrDefault(d => !string.IsNullOrEmpty(d))
          ?? concept.Coding.Select(c => c.Code?.Trim()).FirstOrDefault(d => !string.IsNullOrEmpty(d));

    private static DateOnly? FullDate(string? text) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>The date as written (the sender's local date): issued, else effective[x].</summary>
    private static DateOnly? Date(DateTimeOffset? issued, DataType? effective) =>
        issued is { } instant ? DateOnly.FromDateTime(instant.DateTime)
        : effective switch
        {
            FhirDateTime dateTime => FullDate(dateTime.Value),
            Period period => FullDate(period.Start),
            Instant at when at.Value is { } value => DateOnly.FromDateTime(value.DateTime),
            _ => null,
        };

    private TimelineEvent? CheckCondition(FhirItem item)
    {
        var condition = (Condition)item.Resource;
        var carries = condition.Stage.Count > 0
            || (condition.Code?.Coding ?? []).Concat(condition.BodySite.SelectMany(b => b.Coding)).Any(c => LabCodes.FromFhir(c.System) == FhirCodeSystem.IcdO3);
        if (carries && !_linkedConditions.Contains(item))
        {
            throw Fail(item, "evidence", "Condition carries stage or ICD-O-3 codes but is not linked (evidence.detail) to a DiagnosticReport in this file");
        }
        return null;
    }

    private TimelineEvent? Result(FhirItem item, Observation observation)
    {
        var meaning = Classify(observation);
        if (meaning?.Role is not (ObservationRole.Ihc or ObservationRole.Molecular))
        {
            return null;
        }
        if (!IsFinal(observation.StatusElement, item))
        {
            return null;
        }
        var mrn = SubjectMrn(item, observation.Subject);
        _reportOfObservation.TryGetValue(item, out var report);
        var accession = Accession(observation.Identifier, observation.Specimen is { } s ? [s] : [], report)
            ?? throw Fail(item, "specimen", "no accession (identifier of type ACSN, specimen.accessionIdentifier, or a DiagnosticReport listing it)");
        var date = Date(observation.Issued, observation.Effective) ?? throw Fail(item, "effective", "no result date (issued or effective[x] as a full date)");
        return meaning.Role == ObservationRole.Ihc
            ? Ihc(item, observation, meaning, mrn, accession, date)
            : Genomic(item, observation, meaning, mrn, accession, date);
    }

    private static ObservationMeaning? Classify(Observation observation)
    {
        var code = observation.Code;
        if (code is null)
        {
            return null;
        }
        foreach (var coding in code.Coding)
        {
            if (LabCodes.Classify(LabCodes.FromFhir(coding.System), coding.Code, coding.Display ?? code.Text) is { } meaning)
            {
                return meaning;
            }
        }
        if (LabCodes.Classify(FhirCodeSystem.Local, null, code.Text) is { } byText)
        {
            return byText;
        }
        if (code.Coding.Any(c => c.Code == LabCodes.VariantAssessment && LabCodes.FromFhir(c.System) == FhirCodeSystem.Loinc)
            || observation.Component.Any(c => IsLoinc(c.Code, LabCodes.GeneStudied)))
        {
            return new ObservationMeaning(ObservationRole.Molecular);
        }
        // Any code with an immunostain method: the code names the marker.
        var method = observation.Method;
        var methodWords = $"{method?.Text} {string.Join(' ', method?.Coding.Select(c => c.Display) ?? [])}";
        if (methodWords.Contains("IHC", StringComparison.OrdinalIgnoreCase) || methodWords.Contains("immuno", StringComparison.OrdinalIgnoreCase))
        {
            var marker = code.Text ?? code.Coding.Select(c => c.Display ?? c.Code).FirstOrDefault(c => c is not null);
            var name = marker?.Split(['(', ' '], 2)[0].Trim();
            return string.IsNullOrEmpty(name) ? null : new ObservationMeaning(ObservationRole.Ihc, name, null, LabCodes.CloneIn(marker));
        }
        return null;
    }

    private static bool IsLoinc(CodeableConcept? concept, string code) =>
        concept?.Coding.Any(c => c.Code == code && LabCodes.FromFhir(c.System) == FhirCodeSystem.Loinc) == true;

    private IhcResulted Ihc(FhirItem item, Observation observation, ObservationMeaning meaning, string mrn, string accession, DateOnly date)
    {
        var parsed = observation.Value switch
        {
            CodeableConcept concept => concept.Coding.Select(c => LabCodes.TryIhcResult(LabCodes.FromFhir(c.System), c.Code, c.Display, out var r) ? r : (IhcResult?)null)
                .FirstOrDefault(r => r is not null)
                ?? (LabCodes.TryIhcResult(FhirCodeSystem.Local, null, concept.Text, out var t) ? t : null),
            FhirString text => LabCodes.TryIhcResult(FhirCodeSystem.Local, null, text.Value, out var r) ? r : null,
            _ => null,
        };
        var result = parsed ?? throw Fail(item, "value", $"value is not an IHC result ({Vocabulary.Ihc.Expected})");
        var method = observation.Method;
        var clone = LabCodes.CloneIn(method?.Text)
            ?? method?.Coding.FirstOrDefault(c => LabCodes.FromFhir(c.System) == FhirCodeSystem.Local && c.Code is not null)?.Code
            ?? meaning.AntibodyClone
            ?? LabCodes.CloneIn((observation.Value as FhirString)?.Value);
        var value = observation.Component.Select(c => c.Value).OfType<Quantity>().Select(q => q.Value).FirstOrDefault(v => v is not null);
        var notes = observation.Note.Select(n => n.Text?.Trim()).Where(n => !string.IsNullOrEmpty(n)).ToList();
        return new IhcResulted
        {
            KnownOn = _batchDate,
            Source = Source(item),
            Mrn = mrn,
            Accession = accession,
            ResultDate = date,
            Marker = meaning.Subject!.ToUpperInvariant(),
            AntibodyClone = clone,
            Result = result,
            Value = value,
            Comment = notes.Count > 0 ? string.Join("\n", notes) : null,
        };
    }

    private MolecularResulted Genomic(FhirItem item, Observation observation, ObservationMeaning meaning, string mrn, string accession, DateOnly date)
    {
        var genes = observation.Component.Where(c => IsLoinc(c.Code, LabCodes.GeneStudied))
            .Select(c => GeneSymbol(c.Value as CodeableConcept))
            .ToList();
        if (genes.Any(g => g is null))
        {
            throw Fail(item, "component", "a gene-studied (48018-6) component names no gene symbol");
        }
        var gene = meaning.Subject
            ?? (genes.Count == 1 ? genes[0] : genes.LastOrDefault(g => KinaseDrivers.Contains(g!)) ?? genes.LastOrDefault())
            ?? throw Fail(item, "component", "no gene-studied (48018-6) component");
        MolecularResult result = default;
        string? alteration = null;
        var parsed = observation.Value switch
        {
            CodeableConcept concept => concept.Coding.Any(c => LabCodes.TryMolecularResult(LabCodes.FromFhir(c.System), c.Code, c.Display, out result, out alteration))
                || LabCodes.TryMolecularResult(FhirCodeSystem.Local, null, concept.Text, out result, out alteration),
            FhirString text => LabCodes.TryMolecularResult(FhirCodeSystem.Local, null, text.Value, out result, out alteration),
            _ => false,
        };
        if (!parsed)
        {
            throw Fail(item, "value", $"value is not a molecular result ({Vocabulary.Molecular.Expected})");
        }
        var variant = observation.Component.FirstOrDefault(c => IsLoinc(c.Code, LabCodes.DiscreteVariant));
        alteration = (variant?.Value as CodeableConcept is { } v ? Words(v) : (variant?.Value as FhirString)?.Value) ?? alteration;
        var method = observation.Method;
        var methodUsed = method?.Coding.Select(c => LabCodes.MethodFrom(c.Code, c.Display)).FirstOrDefault(m => m is not null)
            ?? LabCodes.MethodFrom(null, method?.Text)
            ?? meaning.Method
            ?? throw Fail(item, "method", $"no method ({Vocabulary.Method.Expected})");
        return new MolecularResulted
        {
            KnownOn = _batchDate,
            Source = Source(item),
            Mrn = mrn,
            Accession = accession,
            ResultDate = date,
            Method = methodUsed,
            Gene = gene.ToUpperInvariant(),
            Result = result,
            Alteration = alteration?.Trim() is { Length: > 0 } a ? a : null,
        };
    }

    private static string? GeneSymbol(CodeableConcept? concept)
    {
        if (concept is null)
        {
            return null;
        }
        foreach (var coding in concept.Coding)
        {
            if (coding.Display?.Trim() is { Length: > 0 } display)
            {
                return display;
            }
            if (coding.Code is { } code && HgncSymbols.TryGetValue(code.Trim(), out var symbol))
            {
                return symbol;
            }
        }
        return concept.Text?.Trim() is { Length: > 0 } text ? text : null;
    }
}
