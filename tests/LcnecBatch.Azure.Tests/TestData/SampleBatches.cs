namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// Two small nightly batches with an alert of every kind between them. The mrns and the report wording are
/// distinctive so a test can look for them anywhere they must not be (logs, sidecars).
/// </summary>
internal static class SampleBatches
{
    public static readonly DateOnly October3 = new(2026, 10, 3);
    public static readonly DateOnly October20 = new(2026, 10, 20);
    public static readonly DateOnly November25 = new(2026, 11, 25);

    public static readonly string[] Mrns = ["QX710001", "QX710002", "QX710003", "QX710004", "QX710005"];

    /// <summary>Free text of the reports, none of which may leave the alert bodies.</summary>
    public static readonly string[] ReportText =
    [
        "Large cell neuroendocrine carcinoma", "neuroendocrine", "right upper lobe", "Small cell carcinoma", "CT-guided core biopsy",
    ];

    /// <summary>Five patients: untested advanced LCNEC, unconfirmed IHC, actionable fusion, small cell, LCNEC tested by raw NGS.</summary>
    public static BatchBuilder First() => new BatchBuilder(October3)
        .Patient(Mrns[0], "F", "1968-04-12", "never")
        .Report("S26-00011", Mrns[0], new(2026, 9, 1), "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.", "IVB")
        .Patient(Mrns[1], "M", "1950-02-20", "current")
        .Report("S26-00021", Mrns[1], new(2026, 9, 5), "Large cell neuroendocrine carcinoma (LCNEC), see comment.", "IIIB")
        .Ihc("S26-00021", Mrns[1], new(2026, 9, 10), "positive")
        .Ihc("S26-00021", Mrns[1], new(2026, 9, 10), "maybe", marker: "CD56", clone: null)
        .Patient(Mrns[2], "M", "1955-07-01", "former")
        .Report("S26-00031", Mrns[2], new(2026, 9, 2), "Metastatic large cell neuroendocrine carcinoma.", "IV")
        .Molecular("M26-00031", Mrns[2], new(2026, 9, 15), "detected", "EML4-ALK fusion (E6:A20)")
        .Patient(Mrns[3], "F", "1960-01-01", "never")
        .Report("S26-00041", Mrns[3], new(2026, 9, 3), "Small cell carcinoma.", "IV")
        .Patient(Mrns[4], "F", "1970-03-03", "never")
        .Report("S26-00050", Mrns[4], new(2026, 9, 4), "Large cell neuroendocrine carcinoma.", "IVA")
        .RawVcf("S26-00050");

    /// <summary>The unconfirmed IHC gets its molecular answer: not detected (resolves one alert, raises a discordance).</summary>
    public static BatchBuilder Second() => new BatchBuilder(October20)
        .Molecular("S26-00021", Mrns[1], new(2026, 10, 15), "not_detected"); // same specimen as the IHC: discordance pairs by specimen

    /// <summary>Weeks later, one unrelated patient: the watched ones are walked past their reminder dates.</summary>
    public static BatchBuilder Third() => new BatchBuilder(November25)
        .Patient("QX710099", "M", "1980-01-01", "never");
}
