namespace LcnecBatch.Core.Tests.TestData;

internal static class RepositoryRoot
{
    /// <summary>The folder holding LcnecBatch.sln, found by walking up from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LcnecBatch.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("LcnecBatch.sln not found above the test binaries");
    }

    public static string SampleArchive => System.IO.Path.Combine(Path, "samples", "archive");
}
