using CasePathway.Host.Runtime;
using Wolverine;
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
    public static void Add(IServiceCollection services)
    {
        var runtime = services.Select(d => d.ServiceType == typeof(CasePathwayRuntime) ? d.ImplementationInstance : null)
            .OfType<CasePathwayRuntime>().LastOrDefault();
        // extensions are named here, not found by scanning every referenced assembly at start-up
        services.AddWolverine(ExtensionDiscovery.ManualOnly, options =>
        {
            GeneratedCode.Configure(options);
            // its own connections: the runtime's data source maps timestamps to NodaTime types
            if (runtime is not null) options.PersistMessagesWithPostgresql(runtime.ConnectionString, Schema);
        });
        services.AddWolverineHttp();
    }
}
