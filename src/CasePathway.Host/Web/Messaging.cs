using CasePathway.Host.Features.Alerts;
using CasePathway.Host.Runtime;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Postgresql;

namespace CasePathway.Host.Web;

/// <summary>
/// Wolverine in the web app: its HTTP endpoints (the API), code generated ahead of time
/// (<see cref="GeneratedCode"/>), and — when the app runs over a <see cref="CasePathwayRuntime"/> — durable
/// messaging stored in PostgreSQL under the schema <see cref="Schema"/>, ready for scheduled work.
/// </summary>
public static class Messaging
{
    public const string Schema = "wolverine";

    /// <summary>Call after the runtime is registered: Wolverine's storage is fixed when it is added, not later.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var alerts = configuration.GetSection(AlertOptions.Section).Get<AlertOptions>() ?? new AlertOptions();
        var runtime = services.Select(d => d.ServiceType == typeof(CasePathwayRuntime) ? d.ImplementationInstance : null)
            .OfType<CasePathwayRuntime>().LastOrDefault();
        if (runtime is not null)
        {
            // before Wolverine's own hosted service, so that it decides whether Wolverine checks its schema
            services.AddSingleton<MessageStorageSchema>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MessageStorageSchema>());
        }
        // extensions are named here, not found by scanning every referenced assembly at start-up
        services.AddWolverine(ExtensionDiscovery.ManualOnly, options =>
        {
            GeneratedCode.Configure(options);
            // its own connections: the runtime's data source maps timestamps to NodaTime types
            if (runtime is not null) options.PersistMessagesWithPostgresql(runtime.ConnectionString, Schema);
            // morning alerts: kept in the inbox until handled, so that neither a restart nor a crash loses one
            options.PublishMessage<SendMorningAlert>().ToLocalQueue(MorningAlerts.Queue);
            var queue = options.LocalQueue(MorningAlerts.Queue);
            if (runtime is not null) queue.UseDurableInbox();
            // a channel that cannot take a message for now: tried again after each delay, then recorded as failed
            // (MorningAlerts counts the tries, so the last one never throws and this never moves it to dead letters)
            options.OnException<AlertNotYetDelivered>().ScheduleRetry(alerts.RetryDelays());
        });
        services.AddWolverineHttp();
    }
}
