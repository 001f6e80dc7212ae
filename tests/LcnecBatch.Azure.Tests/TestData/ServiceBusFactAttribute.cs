namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// A test against a real Service Bus namespace (or the official emulator): it runs when
/// <c>SERVICEBUS_CONNECTION_STRING</c> is set and is skipped, saying why, otherwise.
/// </summary>
public sealed class ServiceBusFactAttribute : FactAttribute
{
    public const string Variable = "SERVICEBUS_CONNECTION_STRING";

    public ServiceBusFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: no real Service Bus namespace or emulator to send to";
        }
    }
}
