using System.Diagnostics;
using System.Text.Json;

namespace LcnecBatch.Infra.Tests;

/// <summary>
/// infra/main.bicep compiled to ARM JSON once per test run, with the Bicep CLI that
/// scripts/install-bicep.sh installs from NuGet, into a temporary folder (never the repository).
/// No Bicep CLI is a failure of every test, with the reason, never a skip.
/// </summary>
public sealed class CompiledInfra : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(5);
    private readonly string _outputFolder;
    private readonly JsonDocument _template;
    private readonly JsonDocument _parametersFile;

    public CompiledInfra()
    {
        RepositoryRoot = FindRepositoryRoot();
        var install = Run("bash", [Path.Combine(RepositoryRoot, "scripts", "install-bicep.sh")]);
        var bicep = install.Output.Trim().Split('\n')[^1].Trim();
        if (install.ExitCode != 0 || !File.Exists(bicep))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI could not be installed from NuGet by scripts/install-bicep.sh (exit {install.ExitCode}); "
                + $"these tests need it to compile infra/main.bicep.\n{install.Output}\n{install.Error}");
        }

        _outputFolder = Path.Combine(Path.GetTempPath(), "lcnec-infra-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_outputFolder);
        var compiled = Path.Combine(_outputFolder, "main.json");
        var build = Run(bicep, ["build", Path.Combine(RepositoryRoot, "infra", "main.bicep"), "--outfile", compiled]);
        if (build.ExitCode != 0 || !File.Exists(compiled))
        {
            throw new InvalidOperationException($"bicep build infra/main.bicep failed (exit {build.ExitCode}):\n{build.Error}");
        }

        _template = JsonDocument.Parse(File.ReadAllText(compiled));
        _parametersFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "infra", "main.parameters.json")));
        Main = ArmDeployment.Load(_template.RootElement);
    }

    public string RepositoryRoot { get; }

    /// <summary>The compiled main template; its modules are nested deployments.</summary>
    public ArmDeployment Main { get; }

    /// <summary>The whole compiled template as text.</summary>
    public string Text => _template.RootElement.GetRawText();

    public JsonElement ParametersFile => _parametersFile.RootElement;

    /// <summary>Every resource the deployment declares, in main and in every module (not the modules' <c>existing</c> references).</summary>
    public IEnumerable<ArmResource> DeclaredResources => Main.AllResources().Where(r => !r.IsExisting);

    public IEnumerable<ArmResource> OfType(string type) =>
        DeclaredResources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ArmResource Single(string type)
    {
        var found = OfType(type).ToList();
        Assert.True(found.Count == 1, $"expected one {type}, found {found.Count}");
        return found[0];
    }

    public void Dispose()
    {
        _template.Dispose();
        _parametersFile.Dispose();
        Directory.Delete(_outputFolder, recursive: true);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LcnecBatch.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no LcnecBatch.sln above {AppContext.BaseDirectory}");
    }

    private static (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ToolTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in {ToolTimeout}");
        }
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
