namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// The system clock moved forward by what a test says: "hours later" without waiting hours. Timers and delays stay
/// real (the base class's), so leases and renewals still run in real time, only read as later.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
