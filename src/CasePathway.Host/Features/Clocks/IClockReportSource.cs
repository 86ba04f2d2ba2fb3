using NodaTime;

namespace CasePathway.Host.Features.Clocks;

/// <summary>Every clock of a tenant (or of one child) as known at an instant, now by default.</summary>
public interface IClockReportSource
{
    Task<ClockReport> GetReportAsync(string tenant, Instant? asAt, string? child, CancellationToken cancellationToken);
}

/// <summary>A tenant's clocks as at <see cref="EvaluatedAt"/>.</summary>
public sealed record ClockReport(string Tenant, Instant EvaluatedAt, bool IsAsAt, IReadOnlyList<ClockView> Clocks);
