namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>A clock stopped at one instant (timers and timestamps still run on the system's).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static FixedClock On(DateOnly day) => new(new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 30)), TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
