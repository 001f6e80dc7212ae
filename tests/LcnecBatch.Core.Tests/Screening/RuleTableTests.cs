using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Screening;

/// <summary>
/// One table per rule of screening.md: it fires; it does not fire when any one of its conditions is negated; the
/// window's last day before, on and after; and the alert goes away when the missing fact arrives. Every row
/// builds one patient's timeline and screens it as of a day counted from the diagnosis (<see cref="Dx"/>).
/// </summary>
public class RuleTableTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    private const string Mutation = "ALK G1202R";
    private const string Fusion = "EML4-ALK fusion (E13:A20)";

    /// <param name="Severity">The severity the alert must have when it fires.</param>
    private sealed record Case(string Rule, Func<PatientBuilder> Patient, int Day, bool Fires, Severity? Severity = null);

    private static PatientBuilder Lcnec(Sex sex = Sex.Male, SmokingStatus smoking = SmokingStatus.Current, string stage = "IVB", string diagnosis = "Large cell neuroendocrine carcinoma.") =>
        new PatientBuilder().Demographics(sex, smoking).Report(Dx, diagnosis, stage);

    private static PatientBuilder NotLcnec() => Lcnec(diagnosis: "Small cell carcinoma. Negative for large cell neuroendocrine carcinoma.");

    private static PatientBuilder HighPrior(string stage = "IVB") => Lcnec(Sex.Female, SmokingStatus.Never, stage);

    private static readonly FusionDetail Filtered = PatientBuilder.Eml4AlkV1 with { PassesFilter = false };
    private static readonly FusionDetail Reciprocal = PatientBuilder.Eml4AlkV1 with { IsReciprocal = true, Partner = "PTPN3", Variant = null, VariantClass = null };

    // Days: IHC on day 5 (I); a raw file arrives on day 10 (R); a molecular answer on day 8 (M).
    private const int I = 5;
    private const int R = 10;
    private const int M = 8;

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        // ALK_TEST_MISSING: affirmed, advanced, no ALK test from lookback before diagnosis to D, D > diagnosis + 14.
        ["test missing: fires (medium)"] = new("ALK_TEST_MISSING", () => Lcnec(), 20, true, Severity.Medium),
        ["test missing: high-prior is high"] = new("ALK_TEST_MISSING", () => HighPrior(), 20, true, Severity.High),
        ["test missing: not LCNEC"] = new("ALK_TEST_MISSING", NotLcnec, 20, false),
        ["test missing: uncertain LCNEC"] = new("ALK_TEST_MISSING", () => Lcnec(diagnosis: "Suspicious for large cell neuroendocrine carcinoma."), 20, false),
        ["test missing: not advanced"] = new("ALK_TEST_MISSING", () => Lcnec(stage: "IB"), 20, false),
        ["test missing: IHC tested"] = new("ALK_TEST_MISSING", () => Lcnec().AlkIhc(Dx.AddDays(3), IhcResult.Negative), 20, false),
        ["test missing: molecular tested"] = new("ALK_TEST_MISSING", () => Lcnec().Molecular(Dx.AddDays(3), MolecularResult.NotDetected), 20, false),
        ["test missing: fusion table tested"] = new("ALK_TEST_MISSING", () => Lcnec().RawFile(Dx.AddDays(3), "S26-00001", kind: RawNgsKind.Arriba), 20, false),
        ["test missing: SV-calling VCF tested"] = new("ALK_TEST_MISSING", () => Lcnec().RawFile(Dx.AddDays(3), "S26-00001", callsStructuralVariants: true), 20, false),
        ["test missing: small-variant VCF is no test"] = new("ALK_TEST_MISSING", () => Lcnec().RawFile(Dx.AddDays(3), "S26-00001"), 20, true, Severity.Medium),
        ["test missing: ALK1 negative is no test"] = new("ALK_TEST_MISSING", () => Lcnec().AlkIhc(Dx.AddDays(3), IhcResult.Negative, "ALK1"), 20, true, Severity.Medium),
        ["test missing: mutation-only row is no test"] = new("ALK_TEST_MISSING", () => Lcnec().Molecular(Dx.AddDays(3), MolecularResult.Detected, alteration: "ALK L1196M"), 20, true, Severity.Medium),
        ["test missing: failed molecular is no test"] = new("ALK_TEST_MISSING", () => Lcnec().Molecular(Dx.AddDays(3), MolecularResult.Failed), 20, true, Severity.Medium),
        ["test missing: IHC 90 days before counts"] = new("ALK_TEST_MISSING", () => Lcnec().AlkIhc(Dx.AddDays(-90), IhcResult.Negative, known: Dx), 20, false),
        ["test missing: IHC 91 days before does not"] = new("ALK_TEST_MISSING", () => Lcnec().AlkIhc(Dx.AddDays(-91), IhcResult.Negative, known: Dx), 20, true, Severity.Medium),
        ["test missing: day 13"] = new("ALK_TEST_MISSING", () => Lcnec(), 13, false),
        ["test missing: day 14 (window's last day)"] = new("ALK_TEST_MISSING", () => Lcnec(), 14, false),
        ["test missing: day 15"] = new("ALK_TEST_MISSING", () => Lcnec(), 15, true, Severity.Medium),
        ["test missing: before the test arrives"] = new("ALK_TEST_MISSING", () => Lcnec().AlkIhc(Dx.AddDays(20), IhcResult.Negative, known: Dx.AddDays(22)), 21, true, Severity.Medium),
        ["test missing: resolved when it arrives"] = new("ALK_TEST_MISSING", () => Lcnec().AlkIhc(Dx.AddDays(20), IhcResult.Negative, known: Dx.AddDays(22)), 22, false),

        // ALK_IHC_UNCONFIRMED: affirmed, ALK IHC positive/equivocal on I, no definite molecular dated >= I, D > I + 14.
        ["unconfirmed: fires"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 20, true, Severity.High),
        ["unconfirmed: equivocal fires"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Equivocal), I + 20, true, Severity.High),
        ["unconfirmed: early stage fires too"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec(stage: "IA").AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 20, true, Severity.High),
        ["unconfirmed: not LCNEC"] = new("ALK_IHC_UNCONFIRMED", () => NotLcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 20, false),
        ["unconfirmed: IHC negative"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 20, false),
        ["unconfirmed: IHC not evaluable"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.NotEvaluable), I + 20, false),
        ["unconfirmed: confirmed on the IHC day"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(I), MolecularResult.NotDetected), I + 20, false),
        ["unconfirmed: molecular before the IHC does not confirm"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(I - 1), MolecularResult.NotDetected), I + 20, true, Severity.High),
        ["unconfirmed: failed molecular does not confirm"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(I + 2), MolecularResult.Failed), I + 20, true, Severity.High),
        ["unconfirmed: day I+13"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 13, false),
        ["unconfirmed: day I+14 (window's last day)"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 14, false),
        ["unconfirmed: day I+15"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 15, true, Severity.High),
        ["unconfirmed: before confirmation arrives"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(I + 18), MolecularResult.Detected, alteration: Fusion, known: Dx.AddDays(I + 20)), I + 19, true, Severity.High),
        ["unconfirmed: resolved when it arrives"] = new("ALK_IHC_UNCONFIRMED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(I + 18), MolecularResult.Detected, alteration: Fusion, known: Dx.AddDays(I + 20)), I + 20, false),

        // ALK_MOLECULAR_RECOMMENDED: affirmed, advanced, IHC negative on I, high-prior, no definite molecular >= I, D > I + 14.
        ["recommended: fires"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 20, true, Severity.Medium),
        ["recommended: young alone is high-prior"] = new("ALK_MOLECULAR_RECOMMENDED", () => new PatientBuilder().Demographics(birth: new DateOnly(1980, 1, 1)).Report(Dx).AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 20, true, Severity.Medium),
        ["recommended: not LCNEC"] = new("ALK_MOLECULAR_RECOMMENDED", () => new PatientBuilder().Demographics(Sex.Female, SmokingStatus.Never).Report(Dx, "Small cell carcinoma.").AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 20, false),
        ["recommended: not advanced"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior("IIA").AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 20, false),
        ["recommended: not high-prior"] = new("ALK_MOLECULAR_RECOMMENDED", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 20, false),
        ["recommended: IHC positive instead"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Positive), I + 20, false),
        ["recommended: molecular on or after the IHC"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative).Molecular(Dx.AddDays(I + 3), MolecularResult.NotDetected), I + 20, false),
        ["recommended: day I+13"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 13, false),
        ["recommended: day I+14 (window's last day)"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 14, false),
        ["recommended: day I+15"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative), I + 15, true, Severity.Medium),
        ["recommended: before molecular arrives"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative).Molecular(Dx.AddDays(I + 25), MolecularResult.NotDetected, known: Dx.AddDays(I + 27)), I + 26, true, Severity.Medium),
        ["recommended: resolved when it arrives"] = new("ALK_MOLECULAR_RECOMMENDED", () => HighPrior().AlkIhc(Dx.AddDays(I), IhcResult.Negative).Molecular(Dx.AddDays(I + 25), MolecularResult.NotDetected, known: Dx.AddDays(I + 27)), I + 27, false),

        // ALK_FUSION_UNREPORTED: affirmed, raw file (arrived R) with a passing functional ALK fusion, no signed-out ALK
        // fusion detected for that accession, D > R + 7. The raw file's accession is named by the molecular row.
        ["unreported: fires"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 10, true, Severity.High),
        ["unreported: no signed-out row at all"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Report(Dx.AddDays(R), "Lymph node: metastatic carcinoma.", accession: "M26-00001").RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 10, true, Severity.High),
        ["unreported: not LCNEC"] = new("ALK_FUSION_UNREPORTED", () => NotLcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 10, false),
        ["unreported: no fusion in the file"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001"), R + 10, false),
        ["unreported: filtered call"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [Filtered]), R + 10, false),
        ["unreported: reciprocal product only"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [Reciprocal]), R + 10, false),
        ["unreported: reported as detected"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.Detected, alteration: Fusion).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 10, false),
        ["unreported: detected on another accession does not report this one"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).Molecular(Dx.AddDays(R), MolecularResult.Detected, alteration: Fusion, accession: "M26-00002").RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 10, true, Severity.High),
        ["unreported: a point mutation reported is not the fusion"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.Detected, alteration: Mutation).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 10, true, Severity.High),
        ["unreported: file of an accession no row of the patient names"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().RawFile(Dx.AddDays(R), "M26-00077", [PatientBuilder.Eml4AlkV1]), R + 10, false),
        ["unreported: day R+6"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 6, false),
        ["unreported: day R+7 (window's last day)"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 7, false),
        ["unreported: day R+8"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]), R + 8, true, Severity.High),
        ["unreported: before the amended report arrives"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]).Molecular(Dx.AddDays(R + 12), MolecularResult.Detected, alteration: Fusion), R + 11, true, Severity.High),
        ["unreported: resolved when it arrives"] = new("ALK_FUSION_UNREPORTED", () => Lcnec().Molecular(Dx.AddDays(R), MolecularResult.NotDetected).RawFile(Dx.AddDays(R), "M26-00001", [PatientBuilder.Eml4AlkV1]).Molecular(Dx.AddDays(R + 12), MolecularResult.Detected, alteration: Fusion), R + 12, false),

        // ALK_FUSION_ACTIONABLE: affirmed, signed-out molecular ALK detected fusion/rearrangement. No window: from the day it is known.
        ["actionable: fires"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion), M + 1, true, Severity.Info),
        ["actionable: FISH rearrangement, no partner"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, MolecularMethod.Fish, alteration: "ALK rearrangement"), M + 1, true, Severity.Info),
        ["actionable: not LCNEC"] = new("ALK_FUSION_ACTIONABLE", () => NotLcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion), M + 1, false),
        ["actionable: not detected"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.NotDetected), M + 1, false),
        ["actionable: indeterminate"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Indeterminate), M + 1, false),
        ["actionable: point mutation only"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: "p.Gly1202Arg"), M + 1, false),
        ["actionable: another gene"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, gene: "EGFR", alteration: "EGFR L858R"), M + 1, false),
        ["actionable: raw fusion alone is not signed out"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.NotDetected).RawFile(Dx.AddDays(M), "M26-00001", [PatientBuilder.Eml4AlkV1]), M + 1, false),
        ["actionable: the day before it is known"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion, known: Dx.AddDays(M + 2)), M + 1, false),
        ["actionable: the day it is known"] = new("ALK_FUSION_ACTIONABLE", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion, known: Dx.AddDays(M + 2)), M + 2, true, Severity.Info),

        // ALK_IHC_DISCORDANT: affirmed; IHC positive/equivocal and molecular not detected (no detection), or IHC negative and detected.
        ["discordant: IHC positive, molecular not detected"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive, "5A4").Molecular(Dx.AddDays(M), MolecularResult.NotDetected), M, true, Severity.Info),
        ["discordant: IHC negative, molecular detected"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Negative).Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion), M, true, Severity.Info),
        ["discordant: not LCNEC"] = new("ALK_IHC_DISCORDANT", () => NotLcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(M), MolecularResult.NotDetected), M, false),
        ["discordant: both positive"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion), M, false),
        ["discordant: both negative"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Negative).Molecular(Dx.AddDays(M), MolecularResult.NotDetected), M, false),
        ["discordant: IHC not evaluable"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.NotEvaluable).Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion), M, false),
        ["discordant: molecular failed"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(M), MolecularResult.Failed), M, false),
        ["discordant: the day before the molecular answer"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(M), MolecularResult.NotDetected), M - 1, false),
        ["discordant: before a later detection"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(M), MolecularResult.NotDetected).Molecular(Dx.AddDays(M + 10), MolecularResult.Detected, MolecularMethod.Fish, alteration: "ALK rearrangement", accession: "M26-00002"), M + 9, true, Severity.Info),
        ["discordant: resolved by a later detection"] = new("ALK_IHC_DISCORDANT", () => Lcnec().AlkIhc(Dx.AddDays(I), IhcResult.Positive).Molecular(Dx.AddDays(M), MolecularResult.NotDetected).Molecular(Dx.AddDays(M + 10), MolecularResult.Detected, MolecularMethod.Fish, alteration: "ALK rearrangement", accession: "M26-00002"), M + 10, false),

        // ALK_RESISTANCE_MUTATION: affirmed; a known resistance mutation (molecular row or raw VCF) in a patient with an ALK fusion.
        ["resistance: fires from a molecular row"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Molecular(Dx.AddDays(90), MolecularResult.Detected, alteration: Mutation, accession: "M26-00002"), 90, true, Severity.High),
        ["resistance: fires from a raw VCF"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Report(Dx.AddDays(90), "Liver, biopsy: metastatic carcinoma.", accession: "M26-00002").RawFile(Dx.AddDays(90), "M26-00002", mutations: [PatientBuilder.G1202R]), 90, true, Severity.High),
        ["resistance: fusion and mutation in one report"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20) with ALK p.Gly1202Arg"), M, true, Severity.High),
        ["resistance: fusion known only from a raw file"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.NotDetected).RawFile(Dx.AddDays(M), "M26-00001", [PatientBuilder.Eml4AlkV1], [PatientBuilder.G1202R]), M, true, Severity.High),
        ["resistance: not LCNEC"] = new("ALK_RESISTANCE_MUTATION", () => NotLcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Molecular(Dx.AddDays(90), MolecularResult.Detected, alteration: Mutation, accession: "M26-00002"), 90, false),
        ["resistance: no ALK fusion in the patient"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(90), MolecularResult.Detected, alteration: Mutation, accession: "M26-00002"), 90, false),
        ["resistance: a mutation not in the table"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Molecular(Dx.AddDays(90), MolecularResult.Detected, alteration: "ALK R1275Q", accession: "M26-00002"), 90, false),
        ["resistance: mutation not detected"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Molecular(Dx.AddDays(90), MolecularResult.NotDetected, alteration: Mutation, accession: "M26-00002"), 90, false),
        ["resistance: filtered VCF record"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).RawFile(Dx.AddDays(M), "M26-00001", mutations: [PatientBuilder.G1202R with { PassesFilter = false }]), 90, false),
        ["resistance: the day before it is known"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Molecular(Dx.AddDays(90), MolecularResult.Detected, alteration: Mutation, accession: "M26-00002", known: Dx.AddDays(92)), 91, false),
        ["resistance: the day it is known"] = new("ALK_RESISTANCE_MUTATION", () => Lcnec().Molecular(Dx.AddDays(M), MolecularResult.Detected, alteration: Fusion).Molecular(Dx.AddDays(90), MolecularResult.Detected, alteration: Mutation, accession: "M26-00002", known: Dx.AddDays(92)), 92, true, Severity.High),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Screen_EveryRuleCase_FiresExactlyAsTabled(string name)
    {
        var c = Cases[name];

        var alerts = c.Patient().Screen(Dx.AddDays(c.Day), c.Rule);

        Assert.Equal(c.Fires ? 1 : 0, alerts.Count);
        if (c.Fires)
        {
            Assert.Equal(c.Severity, alerts[0].Finding.Severity);
            Assert.All(alerts[0].Finding.Evidence, e => Assert.False(string.IsNullOrEmpty(e.Source.File)));
        }
    }

    [Fact]
    public void Cases_CoverEverySevenRules()
    {
        Assert.Equal(
            Screener.DefaultRules.Select(r => r.Id).Order(StringComparer.Ordinal),
            Cases.Values.Select(c => c.Rule).Distinct().Order(StringComparer.Ordinal));
        foreach (var rule in Screener.DefaultRules)
        {
            Assert.Contains(Cases.Values, c => c.Rule == rule.Id && c.Fires);
            Assert.Contains(Cases.Values, c => c.Rule == rule.Id && !c.Fires);
        }
    }
}
