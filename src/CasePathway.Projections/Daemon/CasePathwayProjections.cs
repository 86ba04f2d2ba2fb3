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

    /// <summary>Sets the daemon's batch size for a process (1–100,000 events; the kill tests use 500 to stop a catch-up half-way).</summary>
    public const string BatchVariable = "CASEPATHWAY_PROJECTION_BATCH_EVENTS";

    /// <summary>The batch size <see cref="BatchVariable"/> sets, or null when it is not set.</summary>
    /// <param name="variable">Reads a variable (the process environment unless given).</param>
    public static int? BatchSizeFromEnvironment(Func<string, string?>? variable = null)
    {
        var text = (variable ?? Environment.GetEnvironmentVariable)(BatchVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 100_000
            ? size
            : throw new InvalidOperationException($"{BatchVariable}: '{text}' is not a whole number from 1 to 100000.");
    }

    /// <summary>Registers <paramref name="projections"/> with Marten's async daemon.</summary>
    /// <param name="batchSize">Most events the daemon hands a projection at once (<see cref="DefaultBatchSize"/>).</param>
    public static void Register(StoreOptions options, IEnumerable<ChildProjection> projections, int? batchSize = null)
    {
        foreach (var projection in projections)
            options.Projections.Add(projection, ProjectionLifecycle.Async, projection.Name, o => o.BatchSize = batchSize ?? DefaultBatchSize);
    }
}
