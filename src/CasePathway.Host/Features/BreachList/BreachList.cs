using CasePathway.Domain.Clocks;
using NodaTime;

namespace CasePathway.Host.Features.BreachList;

// The read side's answers, shaped for the CLI, the HTTP API and the pages alike. Times are already in
// the contract's text forms (London local dates or local date-times); statuses and units are the domain's
// enums, named only at the edge (CSV, tables, pages, and JSON through Output/WireNames).

/// <summary>What the list is ordered by; ties are always broken by child, rule and episode so pages never overlap.</summary>
public enum BreachSort { Due, Overdue, Child, Team, Worker, Rule }

/// <summary>Which open clocks: those already breached, those not yet breached but due within the window, or both.</summary>
public enum BreachStatusFilter { Any, Breached, DueSoon }

/// <summary>
/// What a manager asks of the breach list: the filters (one record, so a restriction such as the teams a
/// user may see can be added beside them), the order and the page.
/// </summary>
public sealed record BreachListRequest(
    string Tenant,
    Instant? AsAt = null,
    string? Team = null,
    string? Worker = null,
    string? Rule = null,
    int WithinWorkingDays = 0,
    BreachStatusFilter Status = BreachStatusFilter.Any,
    BreachSort Sort = BreachSort.Due,
    bool Descending = false,
    int Page = 1,
    int PageSize = BreachListRequest.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    /// <summary>The page sizes the page offers; the API takes any size from 1 to <see cref="MaxPageSize"/>.</summary>
    public static readonly int[] PageSizes = [25, 50, 100, 200];
    /// <summary>The whole list on one page: only for the command line, which has no pages.</summary>
    public const int Unpaged = int.MaxValue;
}

/// <summary>One open clock that is breached or falls due within the window, with its reason for delay if one was recorded.</summary>
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
    Instant OverdueFrom,
    BreachReasons.BreachReasonView? Reason = null);

/// <summary>
/// One page of the breach list. <see cref="Total"/>, <see cref="CountsByRule"/> and <see cref="CountsByTeam"/>
/// count the whole filtered list, not the page; clocks with no team are counted under the empty string.
/// </summary>
public sealed record BreachList(
    string Tenant,
    Instant EvaluatedAt,
    bool IsAsAt,
    int WithinWorkingDays,
    IReadOnlyList<BreachRow> Rows,
    IReadOnlyDictionary<string, int> CountsByRule,
    int Total,
    IReadOnlyDictionary<string, int> CountsByTeam,
    int Page,
    int PageSize,
    int TotalPages,
    string Sort,
    string Direction)
{
    public static int PagesFor(int total, int pageSize) => total == 0 ? 0 : (int)(((long)total + pageSize - 1) / pageSize);
}
