using System.Diagnostics;

namespace LcnecBatch.Browser.Tests;

/// <summary>
/// Debian's Chromium, headless, driven from its command line (<c>--dump-dom</c>, <c>--screenshot</c>): no driver.
/// Installed by <c>scripts/install-chromium.sh</c> when missing; a machine where it cannot be installed fails the
/// tests that need it, with the reason, rather than skipping them.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly Lazy<string> Executable = new(Install);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The page's DOM after load, serialised.</summary>
    public static string DumpDom(string htmlFile) => Run("--dump-dom", new Uri(htmlFile).AbsoluteUri);

    public static void Screenshot(string htmlFile, string pngFile, int width, int height) =>
        Run($"--screenshot={pngFile}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri);

    private static string Run(params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("lcnec-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable.Value) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var flag in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
            }.Concat(args))
            {
                start.ArgumentList.Add(flag);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Install()
    {
        // The script is idempotent: it only prints the path when Chromium is already there.
        var script = Path.Combine(RepositoryRoot(), "scripts", "install-chromium.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium is not installed and scripts/install-chromium.sh did not finish within 10 minutes");
        }
        var path = stdout.Result.Trim().Split('\n')[^1];
        if (process.ExitCode != 0 || !File.Exists(path))
        {
            Assert.Fail($"Chromium is not installed and scripts/install-chromium.sh could not install it (exit {process.ExitCode}): {stderr.Result.Trim()}");
        }
        return path;
    }

    private static string RepositoryRoot()
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
