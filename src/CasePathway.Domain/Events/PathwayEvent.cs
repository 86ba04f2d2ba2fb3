using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Events;

/// <summary>
/// One event of a child's pathway as the contract's envelope carries it: who, what, when it happened
/// (<see cref="OccurredAt"/>) and when the authority came to know it (<see cref="RecordedAt"/>).
/// </summary>
public sealed record PathwayEvent(
    Guid Id,
    string Tenant,
    string Child,
    Occurrence OccurredAt,
    IPathwayEventData Data,
    Instant? RecordedAt = null,
    string? RecordedBy = null,
    string? SourceSystem = null,
    string? SourceKey = null,
    string? CorrelationId = null)
{
    public string Type => EventTypes.NameOf(Data);
}
