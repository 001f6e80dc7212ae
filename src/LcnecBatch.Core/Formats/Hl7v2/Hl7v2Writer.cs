using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// Renders events as an ORU^R01 batch (BHS … BTS), the way <see cref="Hl7v2ExportReader"/> reads them back:
/// one message per patient (PID from its demographics), one OBR per pathology report with the final diagnosis
/// as a TX OBX (22637-3, a repetition per line), IHC and molecular results as OBX rows with local codes
/// (<c>ALK^ALK IHC^L</c>, <c>ALK^ALK FISH^L</c>). Deterministic: no clock, control ids from the content.
/// Not carried: smoking, pack-years and care team (no place in these segments), the raw NGS <c>File</c> of a
/// molecular result, and a demographics event that holds nothing but the mrn.
/// </summary>
public static class Hl7v2Writer
{
    private static readonly Hl7Delimiters D = Hl7Delimiters.Standard;

    /// <param name="segmentSeparator"><c>"\r"</c> as the standard frames segments; <c>"\n"</c> or <c>"\r\n"</c> as files often do.</param>
    public static string Write(IEnumerable<TimelineEvent> events, string segmentSeparator = "\r")
    {
        ArgumentNullException.ThrowIfNull(events);
        var messages = new List<List<string>>();
        var all = events.ToList();
        foreach (var mrn in all.OfType<IPatientFact>().Select(e => e.Mrn).Distinct())
        {
            var demographics = all.OfType<DemographicsRecorded>().Where(d => d.Mrn == mrn).ToList();
            var specimenFacts = all.OfType<ISpecimenFact>().Where(f => f.Mrn == mrn).ToList();
            if (specimenFacts.Count > 0 || demographics.Count > 0)
            {
                var date = ((TimelineEvent?)demographics.FirstOrDefault() ?? (TimelineEvent)specimenFacts[0]).KnownOn;
                var segments = new List<string> { Pid(mrn, demographics.FirstOrDefault()) };
                foreach (var accession in specimenFacts.Select(f => f.Accession).Distinct())
                {
                    segments.AddRange(Orders(accession, specimenFacts.Where(f => f.Accession == accession).ToList()));
                }
                messages.Add(WithHeader(segments, date));
            }
            foreach (var extra in demographics.Skip(1))
            {
                messages.Add(WithHeader([Pid(mrn, extra)], extra.KnownOn));
            }
        }
        var lines = new List<string> { Segment("BHS", D.EncodingCharacters, "LCNEC-BATCH", "LAB") };
        lines.AddRange(messages.SelectMany(m => m));
        lines.Add(Segment("BTS", messages.Count.ToString(CultureInfo.InvariantCulture)));
        // BHS-1 is the field separator itself: "BHS" + "|" + "^~\&|…".
        return string.Join(segmentSeparator, lines) + segmentSeparator;
    }

    private static List<string> WithHeader(List<string> body, DateOnly date)
    {
        var controlId = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\r", body))))[..20];
        var msh = Segment("MSH", D.EncodingCharacters, "LCNEC-BATCH", "LAB", "LCNEC", "SCREENING", Hl7Dates.Format(date), "",
            "ORU^R01^ORU_R01", controlId, "P", "2.5.1");
        return [msh, .. body];
    }

    private static string Pid(string mrn, DemographicsRecorded? demographics) =>
        Segment("PID", "1", "", $"{Escape(mrn)}^^^LAB^MR", "", "", "",
            demographics?.BirthDate is { } birth ? Hl7Dates.Format(birth) : "",
            demographics?.Sex switch { Sex.Female => "F", Sex.Male => "M", Sex.Unknown => "U", _ => "" });

    private static IEnumerable<string> Orders(string accession, List<ISpecimenFact> facts)
    {
        var reports = facts.OfType<PathologyReported>().ToList();
        var results = facts.Where(f => f is IhcResulted or MolecularResulted).ToList();
        if (reports.Count == 0)
        {
            var date = results.Select(ResultDate).Min();
            return Order(1, accession, null, date, results);
        }
        return reports.SelectMany((report, i) => Order(i + 1, accession, report, report.ReportDate, i == 0 ? results : []));
    }

    private static DateOnly ResultDate(ISpecimenFact fact) => fact switch
    {
        IhcResulted ihc => ihc.ResultDate,
        MolecularResulted molecular => molecular.ResultDate,
        _ => throw new ArgumentOutOfRangeException(nameof(fact)),
    };

    private static IEnumerable<string> Order(int setId, string accession, PathologyReported? report, DateOnly date, List<ISpecimenFact> results)
    {
        var service = report?.Addendum == true ? "35265-8^Pathology report addendum^LN" : "11529-5^Surgical pathology study^LN";
        var obr = new string[25];
        obr[0] = setId.ToString(CultureInfo.InvariantCulture);
        obr[2] = Escape(accession);
        obr[3] = service;
        obr[6] = Hl7Dates.Format(date);
        obr[21] = Hl7Dates.Format(date);
        obr[23] = "SP";
        obr[24] = report?.Amends == true ? "C" : "F"; // OBR-25: corrected supersedes
        yield return Segment("OBR", obr);
        var sequence = 0;
        string Obx(string type, string code, string value, DateOnly? on = null, string subId = "", string method = "")
        {
            var fields = new string[17];
            fields[0] = (++sequence).ToString(CultureInfo.InvariantCulture);
            fields[1] = type;
            fields[2] = code;
            fields[3] = subId;
            fields[4] = value;
            fields[10] = "F";
            fields[13] = on is { } d ? Hl7Dates.Format(d) : "";
            fields[16] = method;
            return Segment("OBX", fields);
        }
        if (report is not null)
        {
            if (report.SpecimenSite is { } site)
            {
                yield return Obx("ST", "22633-2^Nature of specimen^LN", Escape(site));
            }
            yield return Obx("TX", "22637-3^Final diagnosis^LN", string.Join(D.Repetition, report.FinalDiagnosis.Split('\n').Select(l => Escape(l.TrimEnd('\r')))));
            if (report.Morphology is { } morphology)
            {
                yield return Obx("CWE", "31206-6^Histology and behavior ICD-O-3^LN", $"{Escape(morphology)}^^ICDO3");
            }
            if (report.Topography is { } topography)
            {
                yield return Obx("CWE", "ICDO3-T^ICD-O-3 topography^L", $"{Escape(topography)}^^ICDO3");
            }
            if (report.Stage is { } stage)
            {
                yield return Obx("ST", "21908-9^Stage group.clinical Cancer^LN", Escape(stage));
            }
        }
        var ihcCount = 0;
        foreach (var result in results)
        {
            if (result is IhcResulted ihc)
            {
                var code = $"{Escape(ihc.Marker)}^{Escape(ihc.Marker)} IHC^L";
                var subId = (++ihcCount).ToString(CultureInfo.InvariantCulture);
                yield return Obx("CWE", code, IhcAnswer(ihc.Result), ihc.ResultDate, subId, ihc.AntibodyClone is { } clone ? Escape(clone) : "");
                if (ihc.Comment is { } comment)
                {
                    yield return Segment("NTE", "1", "", Escape(comment));
                }
                if (ihc.Value is { } value)
                {
                    yield return Obx("NM", code, value.ToString(CultureInfo.InvariantCulture), ihc.ResultDate, subId);
                }
            }
            else if (result is MolecularResulted molecular)
            {
                var method = molecular.Method switch { MolecularMethod.Ngs => "NGS", MolecularMethod.Fish => "FISH", _ => "RT-PCR" };
                var words = molecular.Result switch
                {
                    MolecularResult.Detected => "Detected",
                    MolecularResult.NotDetected => "Not detected",
                    MolecularResult.Indeterminate => "Indeterminate",
                    _ => "Failed",
                };
                var value = molecular.Alteration is { } alteration ? $"{words}: {alteration}" : words;
                yield return Obx("ST", $"{Escape(molecular.Gene)}^{Escape(molecular.Gene)} {method}^L", Escape(value), molecular.ResultDate);
            }
        }
        if (report?.Procedure is { } procedure)
        {
            yield return Segment("SPM", "1", Escape(accession), "", "TISS^Tissue^HL70487", "", "", $"^{Escape(procedure)}");
        }
    }

    private static string IhcAnswer(IhcResult result) => result switch
    {
        IhcResult.Positive => "10828004^Positive^SCT",
        IhcResult.Negative => "260385009^Negative^SCT",
        IhcResult.Equivocal => "42425007^Equivocal^SCT",
        _ => "^Not evaluable^L",
    };

    private static string Escape(string text) => Hl7Escape.Encode(text, D);

    private static string Segment(string name, params string?[] fields)
    {
        var last = fields.Length;
        while (last > 0 && string.IsNullOrEmpty(fields[last - 1]))
        {
            last--;
        }
        return name + D.Field + string.Join(D.Field, fields.Take(last).Select(f => f ?? ""));
    }
}
