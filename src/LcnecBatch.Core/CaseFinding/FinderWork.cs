namespace LcnecBatch.Core.CaseFinding;

/// <summary>
/// Counts the elementary steps of case finding (characters handed to a scan or copied, triggers and organ
/// words compared, characters walked to count words), so tests can hold the work to a multiple of the input
/// size without timing anything. Production passes none.
/// </summary>
internal sealed class FinderWork
{
    public long Steps { get; private set; }

    public void Add(long steps) => Steps += steps;
}
