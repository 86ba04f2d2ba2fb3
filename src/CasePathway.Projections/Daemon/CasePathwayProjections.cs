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

    /// <summary>
    /// Most events the daemon hands a projection at once unless told otherwise. Every batch costs a read of the
    /// touched children's streams, a statement per table and Marten's own commit of its progression, so a catch-up
    /// (after an import, or a server that was down) goes several times faster in batches larger than Marten's
    /// 500; live traffic is unaffected, the daemon hands over whatever has arrived, however few.
    /// </summary>
    public const int DefaultBatchSize = 5000;

    /// <summary>Registers <paramref name="projections"/> with Marten's async daemon.</summary>
    /// <param name="batchSize">Most events the daemon hands a projection at once (<see cref="DefaultBatchSize"/>).</param>
    public static void Register(StoreOptions options, IEnumerable<ChildProjection> projections, int? batchSize = null)
    {
        foreach (var projection in projections)
            options.Projections.Add(projection, ProjectionLifecycle.Async, projection.Name, o => o.BatchSize = batchSize ?? DefaultBatchSize);
    }
}
