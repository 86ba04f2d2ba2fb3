using CasePathway.Host.Features.Alerts;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.Scorecard;
using CasePathway.Host.Runtime;
using CasePathway.Projections.Tenants;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Web;

/// <summary>Registers an open <see cref="CasePathwayRuntime"/> as what the web app reads and writes.</summary>
public static class RuntimeServices
{
    /// <param name="runProjections">
    /// Run Marten's async daemon in this host, HotCold: Marten's coordinator takes each projection's advisory
    /// lock, so with several servers exactly one runs a projection and another takes over when it stops.
    /// </param>
    public static IServiceCollection AddCasePathwayRuntime(this IServiceCollection services, CasePathwayRuntime runtime, bool runProjections = true)
    {
        // the caller owns the runtime and disposes it after the app stops; Messaging finds it here for its storage
        services.AddSingleton(runtime);
        services.RemoveAll<IClock>();
        services.AddSingleton(runtime.Clock);
        services.RemoveAll<NpgsqlDataSource>();
        services.AddSingleton(runtime.DataSource);
        services.AddSingleton<TenantDirectory>(runtime.Tenants);
        // One way to the data: every page and endpoint asks the container for its slice's read source; these are
        // the runtime's queries (read models as the daemon has them, no catch-up per request: readiness says how
        // far behind they are). Tests give their own sources instead.
        services.TryAddSingleton<IBreachListSource>(runtime.BreachList);
        services.TryAddSingleton<IChildPathwaySource>(runtime.Replay);
        services.TryAddSingleton<IClockReportSource>(runtime.ClockReport);
        services.TryAddSingleton<IScorecardSource>(runtime.Scorecard);
        services.TryAddSingleton<IBoardSource>(new ScorecardBoard(runtime.Scorecard));
        // morning alerts: the channel chosen by configuration, the subscriptions in this database
        services.TryAddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(AlertOptions.Section).Get<AlertOptions>() ?? new AlertOptions());
        services.TryAddSingleton(sp => IAlertChannel.From(sp.GetRequiredService<AlertOptions>()));
        services.AddSingleton<MorningAlerts>();
        services.AddSingleton(new AlertSubscriptionQuery(runtime.DataSource));
        services.TryAddSingleton<Features.BreachReasons.IBreachReasonCountsSource>(new Features.BreachReasons.BreachReasonCountsQuery(runtime.DataSource, runtime.Tenants, runtime.Clock));
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(ReadinessOptions.Section).Get<ReadinessOptions>() ?? new ReadinessOptions());
        services.AddSingleton<ProjectionProgressWatch>();
        services.AddHealthChecks()
            .AddCheck<ProjectionsNotFarBehind>("projections", tags: [Health.ReadyTag], timeout: Health.CheckTimeout)
            .AddCheck<ProjectionsAdvancing>("projections advancing", tags: [Health.ReadyTag], timeout: Health.CheckTimeout)
            .AddCheck<NoLongOpenTransaction>("transactions", tags: [Health.ReadyTag], timeout: Health.CheckTimeout)
            .AddCheck<NoParkedChildren>("parked children", tags: [Health.ReadyTag], timeout: Health.CheckTimeout);
        // Marten's hosted daemon over the runtime's own store (AddMarten would build a second one).
        if (runProjections)
            services.AddHostedService(sp =>
            {
                var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("CasePathway.Projections");
                foreach (var projection in runtime.Projections.Projections) projection.Logger = logger;
                return new ProjectionCoordinator(runtime.DocumentStore, sp.GetRequiredService<ILogger<ProjectionCoordinator>>());
            });
        return services;
    }
}
