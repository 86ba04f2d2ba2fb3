using Microsoft.Extensions.Hosting;

namespace CasePathway.Host.Runtime;

/// <summary>
/// Runs every projection inside the web host. Each runner competes for its projection's advisory lock,
/// so with several hosts exactly one processes a projection and another takes over if it dies.
/// </summary>
public sealed class ProjectionWorker(CasePathwayRuntime runtime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(runtime.Projections.Select(p => p.RunAsync(stoppingToken)));
}
