namespace LcnecBatch.Azure.Tests.TestData;

internal static class RepositoryRoot
{
    /// <summary>The folder holding LcnecBatch.sln, found by walking up from the test assembly.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LcnecBatch.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no LcnecBatch.sln above {AppContext.BaseDirectory}");
    }
}
