using CasePathway.Projections.Scorecard;
using CasePathway.Projections.Tenants;
using JasperFx.Events.Projections;
using Marten;

namespace CasePathway.Projections.Daemon;

/// <summary>The read models, as Marten knows them: both projections, asynchronous, under their own names.</summary>
public static class CasePathwayProjections
{
    /// <summary>The projections of a tenant directory, in the order status lists them.</summary>
    public static IReadOnlyList<ChildProjection> For(TenantDirectory tenants) =>
        [new PathwayProjection(tenants), new IndicatorFactsProjection(tenants)];

    /// <summary>Registers <paramref name="projections"/> with Marten's async daemon.</summary>
    /// <param name="batchSize">Most events the daemon hands a projection at once (Marten's default is 500).</param>
    public static void Register(StoreOptions options, IEnumerable<ChildProjection> projections, int? batchSize = null)
    {
        foreach (var projection in projections)
            options.Projections.Add(projection, ProjectionLifecycle.Async, projection.Name, o =>
            {
                if (batchSize is { } size) o.BatchSize = size;
            });
    }
}
