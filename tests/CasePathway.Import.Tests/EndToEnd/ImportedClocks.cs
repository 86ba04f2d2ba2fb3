using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.Clocks;
using CasePathway.Projections;
using CasePathway.Projections.Daemon;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Testing;
using NodaTime;

namespace CasePathway.Import.Tests.EndToEnd;

/// <summary>
/// An import stored in a real database and the pathway projection brought up to date by Marten's daemon, as
/// the runtime does, so that tests read clocks and breaches exactly as <c>report clocks</c> would.
/// </summary>
internal sealed class ImportedClocks(TestDatabase db)
{
    /// <summary>The instant every query looks from, so no test depends on when it runs.</summary>
    public static readonly Instant AsAt = Instant.FromUtc(2025, 1, 31, 12, 0);

    // A second Marten store over the fixture's database, with the projection registered as the runtime does.
    private readonly Lazy<Task<ProjectionControl>> _projection = new(async () =>
    {
        IReadOnlyList<ChildProjection> projections = [new PathwayProjection(TenantDirectory.Empty)];
        var store = await CasePathwayDatabase.OpenStoreAsync(db.DataSource, o => CasePathwayProjections.Register(o, projections));
        return new ProjectionControl(store, projections);
    });

    public async Task<ImportSummary> ImportAsync(ImportBatch batch)
    {
        var summary = await new ImportRunner(db.Appender()).RunAsync(batch);
        await (await _projection.Value).CatchUpAsync();
        return summary;
    }

    public Task<IReadOnlyList<ClockView>> ClocksAsync(string tenant, string? child = null) =>
        new ClockReportQuery(db.DataSource, TenantDirectory.Empty, SystemClock.Instance).GetAsync(tenant, AsAt, child);

    public Task<BreachList> BreachesAsync(string tenant) =>
        new BreachListQuery(db.DataSource, TenantDirectory.Empty, SystemClock.Instance).GetAsync(new BreachListRequest(tenant, AsAt));

    public async Task<ClockView> ClockAsync(string tenant, string child, string rule, string episode)
    {
        var clocks = await ClocksAsync(tenant, child);
        return clocks.SingleOrDefault(c => c.Rule == rule && c.Episode == episode)
            ?? throw new ShouldAssertException($"no {rule} clock for episode {episode} of child {child}; the child has: " +
                string.Join("; ", clocks.Select(c => $"{c.Rule} {c.Episode} {c.Started}→{c.Due} {c.Status}")));
    }
}
