namespace LcnecBatch.Core.Events;

/// <summary>Where a fact was read: a path relative to the archive root (or container) and a 1-based line.</summary>
public sealed record SourceRef(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
