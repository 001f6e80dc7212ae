using System.Globalization;
using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// One ORU^R01 (or MDM^T02/T04/T06/T08/T10) message to events. A message is taken whole or not at all: the first
/// problem throws <see cref="Hl7DataException"/> with the segment's line and the field, and none of its events
/// go out. Results that are not signed out (OBR-25, OBX-11, TXA-17 preliminary or pending) are passed over,
/// as the CSV export would not carry them yet.
/// </summary>
internal static partial class Hl7MessageMapper
{
    private static readonly HashSet<string> TextTypes = ["TX", "FT", "ST"];
    private static readonly HashSet<string> CodedTypes = ["CWE", "CE", "CNE", "CF", "CV"];
    private static readonly HashSet<string> NotSignedOutOrders = ["O", "I", "S", "P", "R", "X", "Y", "Z"];
    private static readonly HashSet<string> FinalResults = ["F", "C", "U"];
    private static readonly HashSet<string> NotFinalResults = ["P", "R", "S", "I", "O", "N", "X"];
    private static readonly HashSet<string> SignedDocuments = ["AU", "LA"];
    private static readonly HashSet<string> MdmTriggers = ["T02", "T04", "T06", "T08", "T10"];

    [GeneratedRegex("^[A-Z0-9]{1,7}$")]
    private static partial Regex SafeCode();

    public static List<TimelineEvent> Map(Hl7Message message, string sourcePath, DateOnly batchDate)
    {
        if (message.Error is { } error)
        {
            throw error;
        }
        var msh = message.Segments[0];
        var type = msh.Text(9, 1);
        var trigger = msh.Text(9, 2);
        if (type is null)
        {
            throw new Hl7DataException(msh.Line, "MSH-9", "no message type (MSH-9 is empty)");
        }
        var isMdm = type == "MDM" && trigger is not null && MdmTriggers.Contains(trigger);
        if (!(type == "ORU" && trigger == "R01") && !isMdm)
        {
            var named = SafeCode().IsMatch(type) && (trigger is null || SafeCode().IsMatch(trigger))
                ? $"message type {type}^{trigger} is" : "the message type is";
            throw new Hl7DataException(msh.Line, "MSH-9", $"{named} not read here (ORU^R01, MDM^T02/T04/T06/T08/T10)");
        }
        var context = new MessageContext(sourcePath, batchDate, isMdm && trigger == "T06");
        foreach (var segment in message.Segments.Skip(1))
        {
            context.Take(segment);
        }
        context.Finish();
        if (!context.SawPatient)
        {
            throw new Hl7DataException(msh.Line, "PID", "message has no PID segment");
        }
        if (isMdm && !context.SawDocument)
        {
            throw new Hl7DataException(msh.Line, "TXA", "MDM message has no TXA segment");
        }
        foreach (var fact in context.Events)
        {
            CheckDates(fact, batchDate);
        }
        return context.Events;
    }

    /// <summary>A date no fact can carry (<see cref="FactDates"/>) rejects the message, at the segment that carried it.</summary>
    private static void CheckDates(TimelineEvent fact, DateOnly batchDate)
    {
        var (field, why) = fact switch
        {
            DemographicsRecorded { BirthDate: { } birth } => ("PID-7", FactDates.WhyNotBirthDate(birth, batchDate)),
            PathologyReported r => ("OBR-22", FactDates.WhyNotSpecimenDate(r.ReportDate, batchDate)),
            IhcResulted i => ("OBX-19", FactDates.WhyNotSpecimenDate(i.ResultDate, batchDate)),
            MolecularResulted m => ("OBX-19", FactDates.WhyNotSpecimenDate(m.ResultDate, batchDate)),
            _ => ("", null),
        };
        if (why is not null)
        {
            throw new Hl7DataException(fact.Source.Line, field, why);
        }
    }

    private sealed class MessageContext(string sourcePath, DateOnly batchDate, bool addendumDocument)
    {
        private string? _mrn;
        private Order? _order;
        private ObxRow? _lastRow;

        public List<TimelineEvent> Events { get; } = [];

        public bool SawPatient => _mrn is not null;

        public bool SawDocument { get; private set; }

        public void Take(Hl7Segment segment)
        {
            var continuesNotes = segment.Name == "NTE" && _lastRow is not null;
            if (!continuesNotes)
            {
                _lastRow = null;
            }
            switch (segment.Name)
            {
                case "PID":
                    FinishOrder();
                    _mrn = ReadPatient(segment);
                    break;
                case "OBR":
                case "TXA":
                    FinishOrder();
                    if (_mrn is null)
                    {
                        throw new Hl7DataException(segment.Line, null, $"{segment.Name} before any PID segment");
                    }
                    SawDocument |= segment.Name == "TXA";
                    _order = new Order(segment, _mrn, addendumDocument);
                    break;
                case "OBX":
                    if (_order is null)
                    {
                        throw new Hl7DataException(segment.Line, null, "OBX outside an order (no OBR or TXA before it)");
                    }
                    _lastRow = _order.Add(segment);
                    break;
                case "NTE" when continuesNotes:
                    var note = string.Join("\n", segment.Repetitions(3).Select(r => r.AsText()));
                    _lastRow!.Notes.Add(note);
                    break;
                case "SPM":
                    _order?.Specimen(segment);
                    break;
            }
        }

        public void Finish() => FinishOrder();

        private void FinishOrder()
        {
            if (_order is not null)
            {
                _order.Emit(Events, sourcePath, batchDate);
                _order = null;
            }
        }

        private string ReadPatient(Hl7Segment pid)
        {
            var identifiers = pid.Repetitions(3);
            var mrn = identifiers.FirstOrDefault(r => r.Component(5) == "MR" && r.Component(1) is not null).Component(1)
                ?? identifiers.Select(r => r.Component(1)).FirstOrDefault(id => id is not null)
                ?? throw new Hl7DataException(pid.Line, "PID-3", "no patient identifier");
            mrn = mrn.Trim();
            DateOnly? birth = null;
            if (pid.Text(7) is { } birthText)
            {
                birth = Hl7Dates.TryParse(birthText, out var date)
                    ? date
                    : throw new Hl7DataException(pid.Line, "PID-7", "value is not a full date (expected YYYYMMDD)");
            }
            Sex? sex = null;
            if (pid.Text(8) is { } sexText)
            {
                sex = sexText.Trim().ToUpperInvariant() switch
                {
                    // HL7 table 0001: O(ther), A(mbiguous), N(ot applicable) have no place of their own here.
                    "O" or "A" or "N" => LcnecBatch.Core.Events.Sex.Unknown,
                    _ when Vocabulary.Sex.TryParse(sexText, out var parsed) => parsed,
                    _ => throw new Hl7DataException(pid.Line, "PID-8", "value is not one of F, M, U, O, A, N (HL7 table 0001)"),
                };
            }
            // A PID that only names the patient adds no demographic fact: every message repeats it.
            if (sex is not null || birth is not null)
            {
                Events.Add(new DemographicsRecorded
                {
                    KnownOn = batchDate,
                    Source = new SourceRef(sourcePath, pid.Line),
                    Mrn = mrn,
                    Sex = sex,
                    BirthDate = birth,
                });
            }
            return mrn;
        }
    }

    private sealed record ObxRow(Hl7Segment Segment, string ValueType, ObservationMeaning? Meaning, bool Final)
    {
        public List<string> Notes { get; } = [];

        public string? Identifier => Segment.Text(3, 1);

        public string? SubId => Segment.Text(4);
    }

    /// <summary>An OBR (or TXA) and its OBX rows: one report, its IHC and molecular results.</summary>
    private sealed class Order
    {
        private readonly Hl7Segment _header;
        private readonly string _mrn;
        private readonly bool _signedOut;
        private readonly bool _pathologyText;
        private readonly bool _addendum;
        private readonly bool _amends;
        private readonly List<ObxRow> _rows = [];
        private Hl7Segment? _specimen;

        public Order(Hl7Segment header, string mrn, bool addendumDocument)
        {
            _header = header;
            _mrn = mrn;
            if (header.Name == "OBR")
            {
                var status = header.Text(25);
                _signedOut = status is null || !NotSignedOutOrders.Contains(status.Trim());
                _pathologyText = !LabCodes.IsNonPathologySection(header.Text(24));
                _addendum = status == "C" || header.Text(4) == "35265-8";
                _amends = status == "C";
            }
            else
            {
                var completion = header.Text(17);
                _signedOut = completion is null || SignedDocuments.Contains(completion.Trim());
                _pathologyText = !LabCodes.IsNonPathologySection(header.Text(2));
                _addendum = addendumDocument;
            }
        }

        public ObxRow Add(Hl7Segment obx)
        {
            var valueType = (obx.Text(2) ?? "").Trim().ToUpperInvariant();
            var status = obx.Text(11)?.Trim().ToUpperInvariant();
            bool final;
            if (status is null || FinalResults.Contains(status))
            {
                final = true;
            }
            else if (NotFinalResults.Contains(status))
            {
                final = false;
            }
            else if (status is "D" or "W")
            {
                throw new Hl7DataException(obx.Line, "OBX-11", "result status D/W (deleted, posted as wrong) retracts an earlier result: review it by hand");
            }
            else
            {
                throw new Hl7DataException(obx.Line, "OBX-11", "value is not a result status (HL7 table 0085)");
            }
            var row = new ObxRow(obx, valueType, Classify(obx), final);
            _rows.Add(row);
            return row;
        }

        public void Specimen(Hl7Segment spm) => _specimen ??= spm;

        private static ObservationMeaning? Classify(Hl7Segment obx)
        {
            var id = obx.Field(3);
            return LabCodes.Classify(LabCodes.FromHl7(id.Component(3)), id.Component(1), id.Component(2))
                ?? (id.Component(4) is { } alternate ? LabCodes.Classify(LabCodes.FromHl7(id.Component(6)), alternate, id.Component(5)) : null);
        }

        public void Emit(List<TimelineEvent> events, string sourcePath, DateOnly batchDate)
        {
            if (!_signedOut)
            {
                return;
            }
            var rows = _rows.Where(r => r.Final).ToList();
            var report = Report(rows, sourcePath, batchDate);
            if (report is not null)
            {
                events.Add(report);
            }
            foreach (var row in rows)
            {
                switch (row.Meaning?.Role)
                {
                    case ObservationRole.Ihc when !IsNumeric(row):
                        events.Add(Ihc(row, rows, sourcePath, batchDate));
                        break;
                    case ObservationRole.Molecular when !IsNumeric(row):
                        events.Add(Molecular(row, sourcePath, batchDate));
                        break;
                }
            }
        }

        private static bool IsNumeric(ObxRow row) => row.ValueType is "NM" or "SN";

        private bool IsReportText(ObxRow row) =>
            TextTypes.Contains(row.ValueType)
            && (row.Meaning is null ? row.ValueType != "ST" || row.Identifier is null : row.Meaning.Role is ObservationRole.FinalDiagnosis or ObservationRole.ReportSection);

        private PathologyReported? Report(List<ObxRow> rows, string sourcePath, DateOnly batchDate)
        {
            var text = rows.Where(IsReportText).ToList();
            if (!_pathologyText)
            {
                return null;
            }
            if (text.Count == 0)
            {
                if (rows.FirstOrDefault(r => r.ValueType is "ED" or "RP") is { } document)
                {
                    throw new Hl7DataException(document.Segment.Line, "OBX-2", "report is only an encapsulated document (ED/RP): no text to screen, review it by hand");
                }
                return null;
            }
            var final = text.Where(r => r.Meaning?.Role == ObservationRole.FinalDiagnosis).ToList();
            var diagnosis = string.Join("\n", (final.Count > 0 ? final : text).Select(TextOf)).Trim();
            if (diagnosis.Length == 0)
            {
                return null;
            }
            var site = rows.Where(r => r.Meaning?.Role == ObservationRole.SpecimenNature).Select(TextOf).Where(t => t.Trim().Length > 0).ToList();
            return new PathologyReported
            {
                KnownOn = batchDate,
                Source = new SourceRef(sourcePath, _header.Line),
                Mrn = _mrn,
                Accession = Accession(),
                ReportDate = ReportDate(),
                FinalDiagnosis = diagnosis,
                SpecimenSite = site.Count > 0 ? string.Join("; ", site.Select(s => s.Trim())) : _specimen?.Text(8, 2) ?? _specimen?.Text(8, 1),
                Procedure = _specimen?.Text(7, 2) ?? _specimen?.Text(7, 1),
                Morphology = Coded(rows, ObservationRole.Morphology, preferText: false),
                Topography = Coded(rows, ObservationRole.Topography, preferText: false),
                Stage = Coded(rows, ObservationRole.Stage, preferText: true),
                Addendum = _addendum,
                Amends = _amends,
            };
        }

        private static string TextOf(ObxRow row) => string.Join("\n", row.Segment.Repetitions(5).Select(r => r.AsText()));

        private static string? Coded(List<ObxRow> rows, ObservationRole role, bool preferText)
        {
            if (rows.FirstOrDefault(r => r.Meaning?.Role == role) is not { } row)
            {
                return null;
            }
            var value = row.Segment.Field(5);
            var text = CodedTypes.Contains(row.ValueType)
                ? preferText ? value.Component(2) ?? value.Component(1) : value.Component(1) ?? value.Component(2)
                : value.AsText();
            return text?.Trim() is { Length: > 0 } t ? t : null;
        }

        private string Accession()
        {
            var accession = _header.Name == "OBR"
                ? _header.Text(3) ?? _header.Text(2)
                : _header.Text(15) ?? _header.Text(14) ?? _header.Text(12);
            return accession?.Trim().ToUpperInvariant()
                ?? throw new Hl7DataException(_header.Line, _header.Name == "OBR" ? "OBR-3" : "TXA-12",
                    _header.Name == "OBR" ? "no accession: filler (OBR-3) and placer (OBR-2) order numbers are empty" : "no accession: TXA-15, TXA-14 and TXA-12 are empty");
        }

        private DateOnly ReportDate()
        {
            var (first, second) = _header.Name == "OBR" ? (22, 7) : (4, 6);
            return DateFrom(_header, first) ?? DateFrom(_header, second)
                ?? throw new Hl7DataException(_header.Line, _header.FieldName(first), $"no report date ({_header.FieldName(first)}, {_header.FieldName(second)} are empty)");
        }

        private static DateOnly? DateFrom(Hl7Segment segment, int field)
        {
            if (segment.Text(field) is not { } text)
            {
                return null;
            }
            return Hl7Dates.TryParse(text, out var date)
                ? date
                : throw new Hl7DataException(segment.Line, segment.FieldName(field), "value is not a date/time (expected YYYYMMDD[HHMM[SS]][+ZZZZ])");
        }

        private DateOnly ResultDate(Hl7Segment obx) => DateFrom(obx, 19) ?? DateFrom(obx, 14) ?? ReportDate();

        private IhcResulted Ihc(ObxRow row, List<ObxRow> rows, string sourcePath, DateOnly batchDate)
        {
            var obx = row.Segment;
            var value = obx.Field(5);
            if (value.IsEmpty)
            {
                throw new Hl7DataException(obx.Line, "OBX-5", "no result value");
            }
            string? textValue = null;
            IhcResult result;
            var parsed = CodedTypes.Contains(row.ValueType)
                ? LabCodes.TryIhcResult(LabCodes.FromHl7(value.Component(3)), value.Component(1), value.Component(2), out result)
                : LabCodes.TryIhcResult(CodeSystem.Local, null, textValue = value.AsText(), out result);
            if (!parsed)
            {
                throw new Hl7DataException(obx.Line, "OBX-5", $"value is not an IHC result ({Vocabulary.Ihc.Expected})");
            }
            var method = obx.Field(17);
            var clone = LabCodes.CloneFromMethod(method.Component(1), method.Component(2)) ?? row.Meaning!.AntibodyClone ?? LabCodes.CloneIn(textValue);
            var number = rows.FirstOrDefault(r => IsNumeric(r) && r.Meaning?.Role == ObservationRole.Ihc && r.Identifier == row.Identifier && r.SubId == row.SubId);
            return new IhcResulted
            {
                KnownOn = batchDate,
                Source = new SourceRef(sourcePath, obx.Line),
                Mrn = _mrn,
                Accession = Accession(),
                ResultDate = ResultDate(obx),
                Marker = row.Meaning!.Subject!.ToUpperInvariant(),
                AntibodyClone = clone,
                Result = result,
                Value = number is null ? null : Number(number),
                Comment = row.Notes.Count > 0 ? string.Join("\n", row.Notes).Trim() is { Length: > 0 } c ? c : null : null,
            };
        }

        private static decimal Number(ObxRow row)
        {
            var value = row.Segment.Field(5);
            // SN is comparator^number: a bare "^85" is a plain number.
            var text = row.ValueType == "SN" && value.Component(1) is null ? value.Component(2) : value.Component(1);
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new Hl7DataException(row.Segment.Line, "OBX-5", "value is not a number");
        }

        private MolecularResulted Molecular(ObxRow row, string sourcePath, DateOnly batchDate)
        {
            var obx = row.Segment;
            var value = obx.Field(5);
            if (value.IsEmpty)
            {
                throw new Hl7DataException(obx.Line, "OBX-5", "no result value");
            }
            var parsed = CodedTypes.Contains(row.ValueType)
                ? LabCodes.TryMolecularResult(LabCodes.FromHl7(value.Component(3)), value.Component(1), value.Component(2), out var result, out var alteration)
                : LabCodes.TryMolecularResult(CodeSystem.Local, null, value.AsText(), out result, out alteration);
            if (!parsed)
            {
                throw new Hl7DataException(obx.Line, "OBX-5", $"value is not a molecular result ({Vocabulary.Molecular.Expected})");
            }
            if (CodedTypes.Contains(row.ValueType))
            {
                // CWE-9, the original text, is where a coded answer keeps the alteration as written.
                alteration ??= value.Component(9);
            }
            var method = obx.Field(17);
            var methodUsed = LabCodes.MethodFrom(method.Component(1), method.Component(2)) ?? row.Meaning!.Method
                ?? throw new Hl7DataException(obx.Line, "OBX-17", $"no method ({Vocabulary.Method.Expected}): OBX-17 is empty and OBX-3 does not imply one");
            return new MolecularResulted
            {
                KnownOn = batchDate,
                Source = new SourceRef(sourcePath, obx.Line),
                Mrn = _mrn,
                Accession = Accession(),
                ResultDate = ResultDate(obx),
                Method = methodUsed,
                Gene = row.Meaning!.Subject!.ToUpperInvariant(),
                Result = result,
                Alteration = alteration?.Trim(),
            };
        }
    }
}
