using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace LcnecBatch.Azure.Tests.TestData;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>
/// One Azurite for the whole test run. With a Docker engine it runs the image through Testcontainers;
/// without one (as on the build machines) it runs the npm package pinned in the repository's
/// <c>package-lock.json</c> on three free loopback ports. Tests name their own containers.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const string Image = "mcr.microsoft.com/azure-storage/azurite:3.37.0";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private IContainer? _container;
    private Process? _process;
    private string? _workDir;

    /// <summary>The well-known development account, with an explicit endpoint for each service.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var (host, blob, queue, table) = await DockerAnswersAsync() ? await StartContainerAsync() : await StartNodeAsync();
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://{host}:{blob}/devstoreaccount1;QueueEndpoint=http://{host}:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://{host}:{table}/devstoreaccount1;";
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
            _process.Dispose();
        }
        if (_workDir is not null)
        {
            Directory.Delete(_workDir, recursive: true);
        }
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        try
        {
            var (code, _) = await RunAsync("docker", "info", Directory.GetCurrentDirectory(), TimeSpan.FromSeconds(5));
            return code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker command at all
        }
    }

    private async Task<(string Host, int Blob, int Queue, int Table)> StartContainerAsync()
    {
        _container = new ContainerBuilder(Image)
            .WithCommand("azurite", "--blobHost", "0.0.0.0", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0",
                "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry")
            .WithPortBinding(10000, assignRandomHostPort: true)
            .WithPortBinding(10001, assignRandomHostPort: true)
            .WithPortBinding(10002, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer()
                .UntilMessageIsLogged("Blob service is successfully listening")
                .UntilMessageIsLogged("Queue service is successfully listening")
                .UntilMessageIsLogged("Table service is successfully listening"))
            .Build();
        using var timeout = new CancellationTokenSource(StartTimeout + StartTimeout);
        await _container.StartAsync(timeout.Token);
        return (_container.Hostname, _container.GetMappedPublicPort(10000), _container.GetMappedPublicPort(10001), _container.GetMappedPublicPort(10002));
    }

    private async Task<(string Host, int Blob, int Queue, int Table)> StartNodeAsync()
    {
        var root = RepositoryRoot.Find();
        var azurite = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        if (!File.Exists(azurite))
        {
            var (code, output) = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", "ci --no-audit --no-fund", root, TimeSpan.FromMinutes(5));
            if (code != 0 || !File.Exists(azurite))
            {
                throw new InvalidOperationException($"Azurite is not installed and 'npm ci' in {root} failed (exit {code}):\n{output}");
            }
        }
        var ports = FreeLoopbackPorts(3);
        _workDir = Directory.CreateTempSubdirectory("lcnec-azurite-").FullName;
        var start = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = _workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {azurite}");
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortsAsync(ports);
        return ("127.0.0.1", ports[0], ports[1], ports[2]);
    }

    private async Task WaitForPortsAsync(int[] ports)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port))
            {
                if (_process!.HasExited || deadline.Elapsed > StartTimeout)
                {
                    var why = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds:0} s";
                    throw new InvalidOperationException($"Azurite {why}. Its output:\n{Captured()}");
                }
                await Task.Delay(100);
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Distinct ports the system hands out now; held together so no two are the same.</summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Captured()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string command, string arguments, string workingDirectory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{command} {arguments}: no answer within {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
