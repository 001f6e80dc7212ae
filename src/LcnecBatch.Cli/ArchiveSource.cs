using System.CommandLine;
using LcnecBatch.Azure;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Cli;

/// <summary>
/// Where a command reads batches: the <c>&lt;path&gt;</c> folder (the embedded default), or with <c>--storage
/// CONNECTION --container NAME</c> a blob container, all of it or, when <c>&lt;path&gt;</c> names a batch
/// (<c>yyyy-MM-dd</c>), that batch.
/// </summary>
internal sealed class ArchiveSource
{
    public Argument<string?> Path { get; } = new("path")
    {
        Description = "A batch folder (yyyy-MM-dd) or an archive root holding batch folders; with --storage, optionally one batch name.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Storage { get; } = new("--storage") { Description = "Azure Storage connection string (or blob service URL, signed in with the default credential): read batches from a container." };

    public Option<string?> Container { get; } = new("--container") { Description = "The blob container holding the batches (with --storage)." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Path);
        command.Options.Add(Storage);
        command.Options.Add(Container);
    }

    public IBatchArchive Open(ParseResult parse)
    {
        var path = parse.GetValue(Path);
        var storage = parse.GetValue(Storage);
        var container = parse.GetValue(Container);
        if ((storage is null) != (container is null))
        {
            throw new UsageException("--storage and --container go together");
        }
        if (storage is null)
        {
            return path is null ? throw new UsageException("a path is required (or --storage with --container)")
                : Directory.Exists(path) ? new FolderBatchArchive(path)
                : throw new UsageException($"no such folder: {path}");
        }
        DateOnly? batch = null;
        if (path is not null)
        {
            batch = ArchiveFolder.TryParseBatchName(path.TrimEnd('/'), out var date) ? date
                : throw new UsageException($"with --storage, <path> names one batch (yyyy-MM-dd), not {path}");
        }
        return new BlobBatchArchive(CommandLineAzure.Container(storage, container!), batch);
    }
}
