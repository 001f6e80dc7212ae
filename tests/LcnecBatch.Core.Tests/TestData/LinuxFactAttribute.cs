namespace LcnecBatch.Core.Tests.TestData;

/// <summary>A fact about Unix file system behaviour (FIFOs, control characters in names): skipped, and said so, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux (mkfifo, control characters in file names)";
        }
    }
}
