using NodaTime;

namespace CasePathway.Projections.Queries;

// The read side's answers, shaped for the CLI, the HTTP API and the pages alike. Times are already in
// the contract's text forms (London local dates or local date-times), statuses in their wire names.

/// <summary>What a manager asks of the breach list.</summary>
public sealed record BreachListRequest(
    string Tenant,
    Instant? AsAt = null,
    string? Team = null,
    string? Worker = null,
    string? Rule = null,
    int WithinWorkingDays = 0);

/// <summary>One open clock that is breached or falls due within the window.</summary>
public sealed record BreachRow(
    string Tenant,
    string Child,
    string Rule,
    string RuleTitle,
    string Episode,
    string? Team,
    string? Worker,
    string Started,
    string Due,
    string Status,
    string Remaining,
    Instant OverdueFrom);

public sealed record BreachList(
    string Tenant,
    Instant EvaluatedAt,
    bool IsAsAt,
    int WithinWorkingDays,
    IReadOnlyList<BreachRow> Rows,
    IReadOnlyDictionary<string, int> CountsByRule);

/// <summary>One event of a child's timeline, with the three times a QA lead compares.</summary>
public sealed record TimelineEntry(
    long Sequence,
    Guid EventId,
    string Type,
    string OccurredAt,
    string RecordedAt,
    bool RecordedAtInferred,
    string StoredAt,
    string? RecordedBy,
    string? SourceSystem,
    string DataJson,
    bool Retracted,
    int RecordedLateByWorkingDays);

/// <summary>
/// One clock as shown to people: every time already formatted, status at the view's instant. Elapsed is
/// the amount in the rule's unit, already rounded by the conventions (<c>ElapsedAmount</c>); outputs write
/// it with <c>ElapsedAmount.Text</c>.
/// </summary>
public sealed record ClockView(
    string Tenant,
    string Child,
    string Rule,
    string RuleTitle,
    string Episode,
    string Unit,
    string Started,
    string Due,
    string? Stopped,
    string Status,
    decimal Elapsed,
    string Explanation,
    string? Team,
    string? Worker);

/// <summary>A child's pathway as the authority knew it at <see cref="AsAt"/>, and what it learnt later.</summary>
public sealed record ChildPathway(
    string Tenant,
    string Child,
    Instant AsAt,
    bool IsAsAt,
    string? Team,
    string? Worker,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<ClockView> Clocks,
    IReadOnlyList<TimelineEntry> RecordedLater);
