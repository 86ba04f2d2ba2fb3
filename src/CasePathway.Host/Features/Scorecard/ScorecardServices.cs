using CasePathway.Host.Runtime;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CasePathway.Host.Features.Scorecard;

/// <summary>Registers the scorecard's read side in the web app: the API's query and the board page's source.</summary>
public static class ScorecardServices
{
    /// <summary>Nothing is registered without a database (the board and the API then answer 503).</summary>
    public static IServiceCollection AddScorecard(this IServiceCollection services, string? connectionString)
    {
        if (connectionString is null) return services;
        services.TryAddSingleton(sp => new ScorecardAccess(sp.GetService<CasePathwayRuntime>(), connectionString));
        services.AddSingleton<IBoardSource, ScorecardBoard>();
        return services;
    }
}

/// <summary>
/// The scorecard query, over the read model as the daemon has it (no catch-up per request). Uses the host's
/// runtime when one is registered, otherwise opens its own on first use.
/// </summary>
public sealed class ScorecardAccess(CasePathwayRuntime? shared, string? connectionString) : IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private CasePathwayRuntime? _own;

    public async Task<ScorecardQuery> ReadyAsync(CancellationToken ct)
    {
        var runtime = shared ?? await OwnAsync(ct);
        return runtime.Scorecard;
    }

    private async Task<CasePathwayRuntime> OwnAsync(CancellationToken ct)
    {
        if (_own is not null) return _own;
        await _opening.WaitAsync(ct);
        try
        {
            return _own ??= await CasePathwayRuntime.OpenAsync(connectionString ?? throw new InvalidOperationException("the scorecard has neither a runtime nor a connection string"), ct);
        }
        finally
        {
            _opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is not null) await _own.DisposeAsync();
        _opening.Dispose();
    }
}
