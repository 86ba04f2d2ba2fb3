using CasePathway.Domain.Clocks;
using NodaTime;

namespace CasePathway.Host.Features.BreachList;

// The read side's answers, shaped for the CLI, the HTTP API and the pages alike. Times are already in
// the contract's text forms (London local dates or local date-times); statuses and units are the domain's
// enums, named only at the edge (CSV, tables, pages, and JSON through Output/WireNames).

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
    ClockStatus Status,
    string Remaining,
    Instant OverdueFrom);

public sealed record BreachList(
    string Tenant,
    Instant EvaluatedAt,
    bool IsAsAt,
    int WithinWorkingDays,
    IReadOnlyList<BreachRow> Rows,
    IReadOnlyDictionary<string, int> CountsByRule);

