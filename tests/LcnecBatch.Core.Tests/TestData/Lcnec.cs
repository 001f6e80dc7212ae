using LcnecBatch.Cli;

namespace LcnecBatch.Core.Tests.TestData;

/// <summary>The <c>lcnec</c> command run in process, its exit code and both output streams captured.</summary>
internal static class Lcnec
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = LcnecCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
