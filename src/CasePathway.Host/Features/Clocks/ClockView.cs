using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;

namespace CasePathway.Host.Features.Clocks;

/// <summary>
/// One clock as shown to people: every time already formatted, status at the view's instant. Elapsed is
/// the amount in the rule's unit, already rounded by the conventions (<c>ElapsedAmount</c>); outputs write
/// it with <c>ElapsedAmount.Text</c>. <see cref="Reason"/>: the reason for delay in force at the view's instant (a
/// child's pathway fills it in; the clock report does not).
/// </summary>
public sealed record ClockView(
    string Tenant,
    string Child,
    string Rule,
    string RuleTitle,
    string Episode,
    TimeUnit Unit,
    string Started,
    string Due,
    string? Stopped,
    ClockStatus Status,
    decimal Elapsed,
    string Explanation,
    string? Team,
    string? Worker,
    BreachReasons.BreachReasonView? Reason = null);
