using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>
/// The public example messages in <c>../shared/corpus/{hl7v2,fhir}</c>, read in place (never copied into the
/// repository), and small helpers shared by the lab-report reader tests.
/// </summary>
internal static class LabCorpus
{
    public static readonly DateOnly Batch = new(2026, 11, 27);

    public static string? Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "corpus", name), Path.Combine(dir.FullName, "..", "shared", "corpus", name) })
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    public static string File(string folder, string name) => Path.Combine(Folder(folder)!, name);

    public static Stream Text(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    /// <summary>An event without where and when it was read: what two carriers of the same fact must agree on.</summary>
    public static string Fact(TimelineEvent e) =>
        (e with { Source = new SourceRef("", 0), KnownOn = Batch }).ToString();

    public static List<string> Facts(IEnumerable<TimelineEvent> events) => events.Select(Fact).Order(StringComparer.Ordinal).ToList();

    /// <summary>Rejection reasons and positions must never quote patient data.</summary>
    public static void AssertNoPatientData(IEnumerable<Rejection> rejections, params string[] secrets)
    {
        foreach (var rejection in rejections)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, rejection.ToString(), StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}

/// <summary>A fact that is skipped (not passed) when the corpus folder is not beside the repository.</summary>
public sealed class LabCorpusFactAttribute : FactAttribute
{
    public LabCorpusFactAttribute(string folder)
    {
        if (LabCorpus.Folder(folder) is null)
        {
            Skip = $"../shared/corpus/{folder} is not present";
        }
    }
}

/// <summary>A theory that is skipped (not passed) when the corpus folder is not beside the repository.</summary>
public sealed class LabCorpusTheoryAttribute : TheoryAttribute
{
    public LabCorpusTheoryAttribute(string folder)
    {
        if (LabCorpus.Folder(folder) is null)
        {
            Skip = $"../shared/corpus/{folder} is not present";
        }
    }
}
