namespace LcnecBatch.Core.CaseFinding;

/// <summary>How a report speaks of a finding (screening.md, section 1).</summary>
public enum Assertion
{
    /// <summary>The patient has it ("consistent with", "diagnostic of", a plain statement).</summary>
    Affirmed,

    /// <summary>Affirmed, as history ("history of LCNEC"): the patient has it; the specimen may not.</summary>
    Historical,

    /// <summary>Hedged only ("suspicious for", "cannot be excluded"): counted in audits, no alert.</summary>
    Uncertain,

    /// <summary>"Negative for", "no evidence of", "excluded".</summary>
    Negated,

    /// <summary>Of a named non-lung primary site: not pulmonary LCNEC.</summary>
    OtherSite,

    /// <summary>Someone else's (the experiencer is a relative: "mother had LCNEC"): not the patient's.</summary>
    Family,
}

public static class AssertionNames
{
    /// <summary>The word used in alert evidence (<c>alerts.md</c>): lower case, snake_case.</summary>
    public static string ToWire(this Assertion assertion) => assertion switch
    {
        Assertion.Affirmed => "affirmed",
        Assertion.Historical => "historical",
        Assertion.Uncertain => "uncertain",
        Assertion.Negated => "negated",
        Assertion.OtherSite => "other_site",
        Assertion.Family => "family",
        _ => throw new ArgumentOutOfRangeException(nameof(assertion)),
    };

    /// <summary>Affirmed and historical both mean the patient has the disease.</summary>
    public static bool IsPositive(this Assertion assertion) => assertion is Assertion.Affirmed or Assertion.Historical;
}
