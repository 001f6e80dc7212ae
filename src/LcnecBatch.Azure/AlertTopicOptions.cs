using System.ComponentModel.DataAnnotations;

namespace LcnecBatch.Azure;

/// <summary>Where alert messages go (alerts.md), bound from <c>Alerts</c>.</summary>
public sealed class AlertTopicOptions
{
    public const string SectionName = "Alerts";

    /// <summary>The Service Bus topic or queue.</summary>
    [Required]
    public string EntityName { get; set; } = "care-team-alerts";
}
