using CasePathway.Domain.Events;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Storage;
using Npgsql;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Weasel.Core;

namespace CasePathway.Store.Marten;

/// <summary>
/// How CasePathway uses Marten, in one place: a stream per child keyed by the child's id, conjoined
/// tenancy by council, the catalogue's records as event bodies under their contract names, the envelope's
/// other fields as headers, and <c>timestamp</c> = recordedAt so that as-known-at reads are Marten's own.
/// </summary>
public static class EventStoreOptions
{
    /// <summary>Marten's tables live in their own schema; the read models stay in <c>public</c>.</summary>
    public const string SchemaName = "casepathway";

    /// <summary>A data source that speaks NodaTime (Npgsql.NodaTime), for Marten and the read models alike.</summary>
    /// <summary>
    /// How long PostgreSQL lets a session sit idle inside a transaction before ending it. Marten's daemon holds the
    /// high-water mark before a sequence a live transaction may still fill, so a session left "idle in transaction"
    /// (a connection broken mid-append across a database restart) would otherwise stall every projection for good.
    /// Nothing of ours keeps a transaction idle for more than moments.
    /// </summary>
    public static readonly TimeSpan IdleInTransactionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often PostgreSQL checks, during a long statement, that the client is still there.</summary>
    public static readonly TimeSpan ClientCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Seconds between Npgsql's keepalives on idle pooled connections, so a dead one is found before it is handed out.</summary>
    public const int KeepAliveSeconds = 15;

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The operator's own settings win.
        var settings = builder.ConnectionStringBuilder;
        if (settings.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
            settings.Options = $"{settings.Options} -c idle_in_transaction_session_timeout={(int)IdleInTransactionTimeout.TotalMilliseconds}".Trim();
        // A session busy in a long statement (a lock library's pg_sleep keep-alive holding an advisory lock)
        // notices a client killed outright only at its next check: without one, a dead server's projection
        // lock outlives it until the statement ends.
        if (settings.Options?.Contains("client_connection_check_interval", StringComparison.Ordinal) != true)
            settings.Options = $"{settings.Options} -c client_connection_check_interval={(int)ClientCheckInterval.TotalMilliseconds}".Trim();
        if (settings.KeepAlive == 0) settings.KeepAlive = KeepAliveSeconds;
        builder.UseNodaTime();
        return builder.Build();
    }

    /// <summary>The indexes of ours on <c>mt_events</c> (Schema/Migrations/0013_events_source_indexes.sql).</summary>
    public static readonly IReadOnlyList<string> SourceIndexes = ["cp_events_by_source_key", "cp_events_by_retracted_id"];

    public static void Configure(StoreOptions opts, NpgsqlDataSource dataSource)
    {
        opts.Connection(dataSource);
        opts.DatabaseSchemaName = SchemaName;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;

        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;

        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            configure: json => json.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb));

        // The contract's type names are the stored type names, so the table reads as the contract does.
        foreach (var type in EventTypes.Types) opts.Events.MapEventType(type, type.Name);

        // Our indexes on mt_events (migration 0013): Marten would otherwise drop them as unknown at every start.
        foreach (var index in SourceIndexes) opts.Events.IgnoreIndex(index);

    }
}
