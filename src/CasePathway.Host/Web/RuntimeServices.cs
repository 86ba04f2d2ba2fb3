using CasePathway.Host.Runtime;
using CasePathway.Projections.Tenants;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Web;

/// <summary>Registers an open <see cref="CasePathwayRuntime"/> as what the web app reads and writes.</summary>
public static class RuntimeServices
{
    /// <param name="runProjections">Run the projections in this host (the <see cref="ProjectionWorker"/>).</param>
    public static IServiceCollection AddCasePathwayRuntime(this IServiceCollection services, CasePathwayRuntime runtime, bool runProjections = true)
    {
        // the caller owns the runtime and disposes it after the app stops
        services.AddSingleton(runtime);
        services.RemoveAll<IClock>();
        services.AddSingleton(runtime.Clock);
        services.RemoveAll<NpgsqlDataSource>();
        services.AddSingleton(runtime.DataSource);
        services.AddSingleton<TenantDirectory>(runtime.Tenants);
        services.AddSingleton<IBreachListSource, RuntimeBreachList>();
        services.AddSingleton<IChildPathwaySource, RuntimeChildPathway>();
        // The board and /api/scorecard read the same runtime.
        services.RemoveAll<ScorecardAccess>();
        services.AddSingleton(new ScorecardAccess(runtime, connectionString: null));
        services.TryAddSingleton<IBoardSource, ScorecardBoard>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(ReadinessOptions.Section).Get<ReadinessOptions>() ?? new ReadinessOptions());
        services.AddHealthChecks().AddCheck<ProjectionsNotFarBehind>("projections", tags: [Health.ReadyTag]);
        if (runProjections) services.AddHostedService<ProjectionWorker>();
        return services;
    }
}
