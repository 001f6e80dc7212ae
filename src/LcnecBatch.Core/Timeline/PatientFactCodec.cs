using System.Buffers;
using System.Text;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Timeline;

/// <summary>
/// A compact binary form of one patient's facts (demographics, reports as read or lean, IHC and molecular rows), for a
/// dormant patient whose facts leave memory for a <see cref="SpillFile"/>. Layout (version 1): the version byte; a
/// string table (count, then each string as its UTF-8 length and bytes); the fact count; each fact as its kind byte,
/// its 16-byte <see cref="TimelineEvent.EventId"/>, <see cref="TimelineEvent.KnownOn"/>, <see cref="SourceRef"/> and
/// its own fields. Strings are indexes into the table (0 is null), so a blob's repeated strings (mrn, source file,
/// accession, care team, clone) are written once and read back as one shared instance. Integers are LEB128 varints
/// (signed ones zigzag), dates their day number, enums their value, a decimal its four <see cref="decimal.GetBits(decimal)"/>.
/// The identity is stored, never recomputed: a lean report's cannot be computed from its lean content.
/// </summary>
internal static class PatientFactCodec
{
    private const byte Version = 1;
    private const int IdBytes = 16;

    private enum Kind : byte
    {
        Demographics = 1,
        Pathology = 2,
        Ihc = 3,
        Molecular = 4,
        Response = 5,
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool CanWrite(TimelineEvent fact) =>
        fact is DemographicsRecorded or PathologyReported or IhcResulted or MolecularResulted or AlertResponded;

    public static byte[] Write(IReadOnlyList<TimelineEvent> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var strings = new StringTable();
        var body = new ArrayBufferWriter<byte>(facts.Count * 64 + 16);
        var writer = new Writer(body, strings);
        writer.VarUInt((uint)facts.Count);
        foreach (var fact in facts)
        {
            ArgumentNullException.ThrowIfNull(fact);
            writer.Fact(fact);
        }

        var head = new ArrayBufferWriter<byte>(strings.Utf8Length + strings.Count * 2 + 8);
        var headWriter = new Writer(head, strings);
        headWriter.Byte(Version);
        headWriter.VarUInt((uint)strings.Count);
        foreach (var s in strings.InOrder)
        {
            headWriter.VarUInt((uint)Utf8.GetByteCount(s));
            var span = head.GetSpan(Utf8.GetMaxByteCount(s.Length));
            head.Advance(Utf8.GetBytes(s, span));
        }

        var blob = new byte[head.WrittenCount + body.WrittenCount];
        head.WrittenSpan.CopyTo(blob);
        body.WrittenSpan.CopyTo(blob.AsSpan(head.WrittenCount));
        return blob;
    }

    public static List<TimelineEvent> Read(ReadOnlySpan<byte> blob)
    {
        var reader = new Reader(blob);
        try
        {
            if (reader.Byte() != Version)
            {
                throw Corrupt("unknown version");
            }
            var strings = new string[reader.Count(minBytesEach: 1)];
            for (var i = 0; i < strings.Length; i++)
            {
                strings[i] = Utf8.GetString(reader.Bytes(reader.Count(minBytesEach: 1)));
            }
            reader.Strings = strings;
            var count = reader.Count(minBytesEach: 1 + IdBytes);
            var facts = new List<TimelineEvent>(count);
            for (var i = 0; i < count; i++)
            {
                facts.Add(reader.Fact());
            }
            if (!reader.AtEnd)
            {
                throw Corrupt("bytes after the last fact");
            }
            return facts;
        }
        catch (ArgumentException e)
        {
            // Invalid UTF-8 (DecoderFallbackException) or an invalid decimal: both are corrupt bytes.
            throw new InvalidDataException("The patient fact blob is corrupt.", e);
        }
    }

    private static InvalidDataException Corrupt(string what) => new($"The patient fact blob is corrupt: {what}.");

    private sealed class StringTable
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public List<string> InOrder { get; } = [];

        public int Count => InOrder.Count;

        public int Utf8Length { get; private set; }

        /// <summary>The reference written for a string: 0 for null, else its 1-based index.</summary>
        public uint Ref(string? value)
        {
            if (value is null)
            {
                return 0;
            }
            if (!_index.TryGetValue(value, out var index))
            {
                _index[value] = index = InOrder.Count;
                InOrder.Add(value);
                Utf8Length += Utf8.GetByteCount(value);
            }
            return (uint)index + 1;
        }
    }

    private readonly struct Writer(ArrayBufferWriter<byte> output, StringTable strings)
    {
        public void Byte(byte value)
        {
            output.GetSpan(1)[0] = value;
            output.Advance(1);
        }

        public void VarUInt(uint value)
        {
            var span = output.GetSpan(5);
            var n = 0;
            while (value >= 0x80)
            {
                span[n++] = (byte)(value | 0x80);
                value >>= 7;
            }
            span[n++] = (byte)value;
            output.Advance(n);
        }

        public void VarInt(int value) => VarUInt((uint)((value << 1) ^ (value >> 31)));

        public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

        public void String(string? value) => VarUInt(strings.Ref(value));

        public void Required(string value) => String(value);

        public void Date(DateOnly value) => VarUInt((uint)value.DayNumber);

        public void Date(DateOnly? value)
        {
            Bool(value.HasValue);
            if (value is { } date)
            {
                Date(date);
            }
        }

        public void Int(int? value)
        {
            Bool(value.HasValue);
            if (value is { } v)
            {
                VarInt(v);
            }
        }

        public void Decimal(decimal? value)
        {
            Bool(value.HasValue);
            if (value is { } d)
            {
                Span<int> bits = stackalloc int[4];
                decimal.GetBits(d, bits);
                foreach (var part in bits)
                {
                    VarUInt((uint)part);
                }
            }
        }

        public void Fact(TimelineEvent fact)
        {
            var kind = fact switch
            {
                DemographicsRecorded => Kind.Demographics,
                PathologyReported => Kind.Pathology,
                IhcResulted => Kind.Ihc,
                MolecularResulted => Kind.Molecular,
                AlertResponded => Kind.Response,
                // The type's name only: never the fact's content.
                _ => throw new NotSupportedException($"A {fact.GetType().Name} fact is not written to a spill file."),
            };
            Byte((byte)kind);
            var id = output.GetSpan(IdBytes);
            if (fact.EventId.Length != IdBytes * 2 || Convert.FromHexString(fact.EventId, id, out _, out var written) != OperationStatus.Done || written != IdBytes)
            {
                throw new NotSupportedException("A fact whose identity is not 32 hex digits is not written to a spill file.");
            }
            output.Advance(IdBytes);
            Date(fact.KnownOn);
            Required(fact.Source.File);
            VarInt(fact.Source.Line);
            switch (fact)
            {
                case DemographicsRecorded d:
                    Required(d.Mrn);
                    Int((int?)d.Sex);
                    Date(d.BirthDate);
                    Int((int?)d.Smoking);
                    Decimal(d.PackYears);
                    String(d.CareTeam);
                    break;
                case PathologyReported p:
                    Required(p.Mrn);
                    Required(p.Accession);
                    Date(p.ReportDate);
                    Required(p.FinalDiagnosis);
                    String(p.SpecimenSite);
                    String(p.Procedure);
                    String(p.Morphology);
                    String(p.Topography);
                    String(p.Stage);
                    Bool(p.Addendum);
                    Bool(p.Amends);
                    String(p.CareTeam);
                    Int((int?)p.TextTraits);
                    break;
                case IhcResulted i:
                    Required(i.Mrn);
                    Required(i.Accession);
                    Date(i.ResultDate);
                    Required(i.Marker);
                    String(i.AntibodyClone);
                    VarInt((int)i.Result);
                    Decimal(i.Value);
                    String(i.Comment);
                    break;
                case MolecularResulted m:
                    Required(m.Mrn);
                    Required(m.Accession);
                    Date(m.ResultDate);
                    VarInt((int)m.Method);
                    Required(m.Gene);
                    VarInt((int)m.Result);
                    String(m.Alteration);
                    String(m.File);
                    break;
                case AlertResponded r:
                    Required(r.ResponseId);
                    Required(r.Mrn);
                    Required(r.AlertId);
                    Date(r.RespondedOn);
                    VarInt((int)r.Kind);
                    Int((int?)r.Reason);
                    Int((int?)r.Disagreement);
                    Date(r.Until);
                    Bool(r.OutsideTest is not null);
                    if (r.OutsideTest is { } test)
                    {
                        Required(test.Lab);
                        Date(test.Date);
                        VarInt((int)test.Method);
                        VarInt((int)test.Result);
                        String(test.Alteration);
                    }
                    String(r.By);
                    String(r.Channel);
                    break;
            }
        }
    }

    /// <summary>Reads with every bound checked: running out of bytes, a bad reference or value is <see cref="InvalidDataException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> blob)
    {
        private readonly ReadOnlySpan<byte> _blob = blob;
        private int _at;

        public string[] Strings { get; set; } = [];

        public readonly bool AtEnd => _at == _blob.Length;

        public byte Byte()
        {
            if (_at >= _blob.Length)
            {
                throw Corrupt("truncated");
            }
            return _blob[_at++];
        }

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count > _blob.Length - _at)
            {
                throw Corrupt("truncated");
            }
            var bytes = _blob.Slice(_at, count);
            _at += count;
            return bytes;
        }

        public uint VarUInt()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                if (shift == 28 && b > 0x0F)
                {
                    throw Corrupt("integer too large");
                }
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
            throw Corrupt("integer too long");
        }

        public int VarInt()
        {
            var raw = VarUInt();
            return (int)(raw >> 1) ^ -(int)(raw & 1);
        }

        /// <summary>A count of items that take at least <paramref name="minBytesEach"/> bytes each: never more than the bytes left allow.</summary>
        public int Count(int minBytesEach)
        {
            var count = VarUInt();
            return count <= (uint)((_blob.Length - _at) / minBytesEach) ? (int)count : throw Corrupt("count beyond the blob");
        }

        public bool Bool() => Byte() switch
        {
            0 => false,
            1 => true,
            _ => throw Corrupt("not a boolean"),
        };

        public string? String()
        {
            var reference = VarUInt();
            return reference == 0 ? null
                : reference <= (uint)Strings.Length ? Strings[reference - 1]
                : throw Corrupt("string reference beyond the table");
        }

        public string Required() => String() ?? throw Corrupt("a required string is missing");

        public DateOnly Date()
        {
            var day = VarUInt();
            return day <= (uint)DateOnly.MaxValue.DayNumber ? DateOnly.FromDayNumber((int)day) : throw Corrupt("date out of range");
        }

        public DateOnly? OptionalDate() => Bool() ? Date() : null;

        public int? OptionalInt() => Bool() ? VarInt() : null;

        public static TEnum Defined<TEnum>(int value) where TEnum : struct, System.Enum
        {
            var named = (TEnum)(object)value;
            return System.Enum.IsDefined(named) ? named : throw Corrupt("unknown enum value");
        }

        public TEnum? OptionalEnum<TEnum>() where TEnum : struct, System.Enum => OptionalInt() is { } v ? Defined<TEnum>(v) : null;

        public decimal? OptionalDecimal()
        {
            if (!Bool())
            {
                return null;
            }
            Span<int> bits = [(int)VarUInt(), (int)VarUInt(), (int)VarUInt(), (int)VarUInt()];
            return new decimal(bits);
        }

        public TimelineEvent Fact()
        {
            var kind = (Kind)Byte();
            var id = Convert.ToHexStringLower(Bytes(IdBytes));
            var knownOn = Date();
            var source = new SourceRef(Required(), VarInt());
            TimelineEvent fact = kind switch
            {
                Kind.Demographics => new DemographicsRecorded
                {
                    KnownOn = knownOn,
                    Source = source,
                    Mrn = Required(),
                    Sex = OptionalEnum<Sex>(),
                    BirthDate = OptionalDate(),
                    Smoking = OptionalEnum<SmokingStatus>(),
                    PackYears = OptionalDecimal(),
                    CareTeam = String(),
                },
                Kind.Pathology => new PathologyReported
                {
                    KnownOn = knownOn,
                    Source = source,
                    Mrn = Required(),
                    Accession = Required(),
                    ReportDate = Date(),
                    FinalDiagnosis = Required(),
                    SpecimenSite = String(),
                    Procedure = String(),
                    Morphology = String(),
                    Topography = String(),
                    Stage = String(),
                    Addendum = Bool(),
                    Amends = Bool(),
                    CareTeam = String(),
                    TextTraits = OptionalInt() is { } traits
                        ? (traits & ~(int)(ReportTextTraits.AmendingWords | ReportTextTraits.StatesADiagnosis | ReportTextTraits.NamesAnotherCancer)) == 0 ? (ReportTextTraits)traits : throw Corrupt("unknown report traits")
                        : null,
                },
                Kind.Ihc => new IhcResulted
                {
                    KnownOn = knownOn,
                    Source = source,
                    Mrn = Required(),
                    Accession = Required(),
                    ResultDate = Date(),
                    Marker = Required(),
                    AntibodyClone = String(),
                    Result = Defined<IhcResult>(VarInt()),
                    Value = OptionalDecimal(),
                    Comment = String(),
                },
                Kind.Molecular => new MolecularResulted
                {
                    KnownOn = knownOn,
                    Source = source,
                    Mrn = Required(),
                    Accession = Required(),
                    ResultDate = Date(),
                    Method = Defined<MolecularMethod>(VarInt()),
                    Gene = Required(),
                    Result = Defined<MolecularResult>(VarInt()),
                    Alteration = String(),
                    File = String(),
                },
                Kind.Response => new AlertResponded
                {
                    KnownOn = knownOn,
                    Source = source,
                    ResponseId = Required(),
                    Mrn = Required(),
                    AlertId = Required(),
                    RespondedOn = Date(),
                    Kind = Defined<ResponseKind>(VarInt()),
                    Reason = OptionalEnum<NotCandidateReason>(),
                    Disagreement = OptionalEnum<Disagreement>(),
                    Until = OptionalDate(),
                    OutsideTest = Bool()
                        ? new OutsideTest(Required(), Date(), Defined<OutsideTestMethod>(VarInt()), Defined<OutsideTestResult>(VarInt()), String())
                        : null,
                    By = String(),
                    Channel = String(),
                },
                _ => throw Corrupt("unknown fact kind"),
            };
            fact.RestoreIdentity(id);
            return fact;
        }
    }
}
