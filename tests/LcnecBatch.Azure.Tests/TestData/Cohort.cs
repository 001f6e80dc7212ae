using Azure.Core;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// Many patients with untested advanced LCNEC in one batch (an alert each), numbered so a test can leave one out
/// of an archive (the replay the others' messages must equal) or pick one to break.
/// </summary>
internal static class Cohort
{
    public static string Mrn(int patient) => $"QZ8{patient:D5}";

    public static BatchBuilder Lcnec(DateOnly batch, IEnumerable<int> patients)
    {
        var builder = new BatchBuilder(batch);
        foreach (var patient in patients)
        {
            builder.Patient(Mrn(patient), patient % 2 == 0 ? "F" : "M", "1961-05-17", "former")
                .Report($"S26-{patient:D5}", Mrn(patient), batch.AddDays(-30), "Lung, left lower lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.", "IVB");
        }
        return builder;
    }

    /// <summary>Whether a Table request is an entity-group transaction that writes the <c>$patient</c> row of this partition of this table (a save of its ledger).</summary>
    public static bool IsLedgerSave(Request request, string table, string pseudonym)
    {
        if (request.Method != RequestMethod.Post || !request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) || request.Content is null)
        {
            return false;
        }
        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        return text.Contains($"/{table}", StringComparison.Ordinal) && text.Contains(pseudonym, StringComparison.Ordinal) && text.Contains("$patient", StringComparison.Ordinal);
    }
}
