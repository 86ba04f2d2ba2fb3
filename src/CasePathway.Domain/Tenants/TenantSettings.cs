using System.Text.Json;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Rules;
using NodaTime;

namespace CasePathway.Domain.Tenants;

/// <summary>Comparison values a board reads beside a council's own figure.</summary>
public sealed record Benchmarks(decimal? StatisticalNeighbours = null, decimal? Region = null, decimal? England = null);

/// <summary>
/// A local authority's configuration: its name, closure days, rulebook overrides, the figures the
/// scorecard needs (child population, targets, benchmarks), its reasons for delay and when its morning alerts
/// go. Missing values are simply absent (null reasons: the default list).
/// </summary>
public sealed record TenantSettings(
    string Tenant,
    string? Name = null,
    IReadOnlyList<LocalDate>? ClosureDays = null,
    JsonElement? Rulebook = null,
    int? ChildPopulation = null,
    IReadOnlyDictionary<string, decimal>? Targets = null,
    IReadOnlyDictionary<string, Benchmarks>? Benchmarks = null,
    LocalTime? AlertsAt = null,
    BreachReasonList? BreachReasons = null)
{
    /// <summary>When the council's morning alerts go, London time, on its working days, unless it sets <see cref="AlertsAt"/>.</summary>
    public static readonly LocalTime DefaultAlertsAt = new(7, 0);

    public string DisplayName => Name ?? Tenant;

    public LocalTime MorningAlertsAt => AlertsAt ?? DefaultAlertsAt;
}

/// <summary>Everything the clocks of one tenant are computed with.</summary>
public sealed record TenantContext(TenantSettings Settings, Rulebook Rulebook, WorkingCalendar Calendar)
{
    /// <summary>The reasons for delay the council offers (its own list, else the default).</summary>
    public BreachReasonList Reasons => Settings.BreachReasons ?? BreachReasonList.Default;

    /// <summary>The national rulebook with the tenant's overrides, the England &amp; Wales calendar with its closure days.</summary>
    public static TenantContext Of(TenantSettings settings)
    {
        var rulebook = settings.Rulebook is { } overrides ? Rulebook.Default.Override(overrides.GetRawText()) : Rulebook.Default;
        var calendar = WorkingCalendar.EnglandAndWales(settings.ClosureDays);
        return new TenantContext(settings, rulebook, calendar);
    }
}
