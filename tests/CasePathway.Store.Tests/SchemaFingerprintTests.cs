using CasePathway.Domain.Events;
using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using CasePathway.Testing;
using global::Marten;
using global::Marten.Storage;
using Npgsql;
using static CasePathway.Store.Tests.SampleEvents;

namespace CasePathway.Store.Tests;

/// <summary>
/// A start-up skips Marten's schema apply when the fingerprint recorded at the last apply is current (migration 0025,
/// <see cref="SchemaFingerprint"/>), and checks in full again when the configuration, the fingerprint or the objects
/// differ. DDL is watched with an event trigger, so "nothing ran" is PostgreSQL's word, not ours.
/// </summary>
public class SchemaFingerprintTests
{
    [Fact]
    public async Task A_fresh_database_is_built_in_full_and_the_next_start_skips_the_unchanged_schema_and_runs_no_ddl_on_first_use()
    {
        var connectionString = TestDatabase.UnusedDatabase();
        try
        {
            var (dataSource, store, applied) = await CasePathwayDatabase.PrepareAndOpenStoreAsync(connectionString);
            await using (dataSource)
            using (store)
            {
                applied.ShouldBeTrue("a fresh database has no fingerprint");
                new[] { "casepathway.mt_events", "casepathway.mt_streams", "casepathway.mt_event_progression", "public.schema_fingerprints" }
                    .ShouldBeSubsetOf(await Tables(dataSource));
                (await Recorded(dataSource, SchemaFingerprint.Marten)).ShouldBe(SchemaFingerprint.Compute((MartenDatabase)store.Storage.Database).Fingerprint);
                await WatchDdlAsync(dataSource);
            }

            (dataSource, store, applied) = await CasePathwayDatabase.PrepareAndOpenStoreAsync(connectionString);
            await using (dataSource)
            using (store)
            {
                applied.ShouldBeFalse("nothing changed since the last apply");
                using var statements = new StatementsTo(new NpgsqlConnectionStringBuilder(connectionString).Database!);
                // first use of the event store: our append, Marten's own session, its projection progress
                var child = NewChild();
                await new MartenEventStore(store).AppendAsync("357", child, ExpectedVersion.NoStream, Contacts(2));
                await using (var session = store.LightweightSession("357"))
                {
                    session.Events.Append(child, new ContactReceived("K9", ContactRoute.Mash));
                    await session.SaveChangesAsync();
                    (await session.Events.FetchStreamAsync(child)).Count.ShouldBe(3);
                }
                await store.Advanced.AllProjectionProgress();
                // the only DDL of the whole start and first use: the read-model migrator's "create table if not exists"
                // Marten checks a feature's schema on its first use unless told it was checked: the catalogue is not read
                statements.Seen.ShouldNotBeEmpty("the listener sees the first use's statements");
                statements.Seen.ShouldNotContain(q => q.Contains("pg_catalog") || q.Contains("information_schema") || q.Contains("pg_namespace"));
                var ddl = await DdlSeen(dataSource);
                ddl.ShouldNotBeEmpty("the watch sees DDL: the migrator's own");
                ddl.ShouldAllBe(q => q.Contains("schema_migrations"));
            }
        }
        finally
        {
            await Database.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_changed_fingerprint_or_a_dropped_table_applies_again()
    {
        var connectionString = TestDatabase.UnusedDatabase();
        try
        {
            var (dataSource, store, applied) = await CasePathwayDatabase.PrepareAndOpenStoreAsync(connectionString);
            await using (dataSource)
            using (store)
            {
                applied.ShouldBeTrue();
                var current = await Recorded(dataSource, SchemaFingerprint.Marten);

                await Execute(dataSource, "update schema_fingerprints set fingerprint = 'recorded by another version' where store = 'marten'");
                (await CasePathwayDatabase.ApplyStoreSchemaAsync(store, dataSource)).ShouldBeTrue("the recorded fingerprint is not this configuration's");
                (await Recorded(dataSource, SchemaFingerprint.Marten)).ShouldBe(current);
                (await CasePathwayDatabase.ApplyStoreSchemaAsync(store, dataSource)).ShouldBeFalse();

                // someone dropped one of Marten's tables: found by name, and built again
                await Execute(dataSource, "drop table casepathway.mt_event_progression");
                (await CasePathwayDatabase.ApplyStoreSchemaAsync(store, dataSource)).ShouldBeTrue("a table the configuration names is missing");
                (await Tables(dataSource)).ShouldContain("casepathway.mt_event_progression");

                // and an index of Marten's
                await Execute(dataSource, "drop index casepathway.pk_mt_events_stream_and_version");
                (await CasePathwayDatabase.ApplyStoreSchemaAsync(store, dataSource)).ShouldBeTrue("an index the configuration names is missing");
                (await CasePathwayDatabase.ApplyStoreSchemaAsync(store, dataSource)).ShouldBeFalse();
            }

            // a configuration that builds a different schema has another fingerprint, and is applied
            var (otherSource, other, otherApplied) = await CasePathwayDatabase.PrepareAndOpenStoreAsync(connectionString, o => o.Schema.For<FingerprintProbe>());
            await using (otherSource)
            using (other)
            {
                otherApplied.ShouldBeTrue("a document type adds a table");
                (await Tables(otherSource)).ShouldContain("casepathway.mt_doc_schemafingerprinttests_fingerprintprobe");
            }
        }
        finally
        {
            await Database.DropAsync(connectionString);
        }
    }

    [Fact]
    public void The_fingerprint_follows_the_schema_the_configuration_builds()
    {
        using var dataSource = EventStoreOptions.CreateDataSource(TestDatabase.UnusedDatabase());
        string Of(Action<StoreOptions>? configure = null)
        {
            using var store = DocumentStore.For(o => { EventStoreOptions.Configure(o, dataSource); configure?.Invoke(o); });
            return SchemaFingerprint.Compute((MartenDatabase)store.Storage.Database).Fingerprint;
        }

        Of().ShouldBe(Of(), "the same configuration, the same fingerprint");
        Of(o => o.Schema.For<FingerprintProbe>()).ShouldNotBe(Of());
        Of(o => o.DatabaseSchemaName = "elsewhere").ShouldNotBe(Of());
        Of(o => o.Events.AddEventType<FingerprintProbe>()).ShouldBe(Of(), "an event type is a row, not schema");
    }

    public sealed record FingerprintProbe(Guid Id);

    /// <summary>The SQL Npgsql sends to one database (its tracing), while alive: other tests' databases are left out.</summary>
    private sealed class StatementsTo : IDisposable
    {
        private readonly System.Diagnostics.ActivityListener listener;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> seen = new();

        public StatementsTo(string database)
        {
            listener = new System.Diagnostics.ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database)
                        && (activity.GetTagItem("db.statement") ?? activity.GetTagItem("db.query.text")) is string sql)
                        seen.Enqueue(sql);
                },
            };
            System.Diagnostics.ActivitySource.AddActivityListener(listener);
        }

        public IReadOnlyList<string> Seen => [.. seen];

        public void Dispose() => listener.Dispose();
    }

    private static async Task WatchDdlAsync(NpgsqlDataSource dataSource) => await Execute(dataSource, """
        create table ddl_seen (query text not null);
        create function record_ddl() returns event_trigger language plpgsql as
        $$ begin insert into public.ddl_seen (query) values (current_query()); end $$;
        create event trigger record_ddl on ddl_command_start execute function record_ddl();
        """);

    private static async Task<List<string>> DdlSeen(NpgsqlDataSource dataSource) => await Strings(dataSource, "select query from ddl_seen");

    private static async Task<List<string>> Tables(NpgsqlDataSource dataSource) =>
        await Strings(dataSource, "select table_schema || '.' || table_name from information_schema.tables");

    private static async Task<string?> Recorded(NpgsqlDataSource dataSource, string store)
    {
        await using var command = dataSource.CreateCommand("select fingerprint from schema_fingerprints where store = $1");
        command.Parameters.AddWithValue(store);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<List<string>> Strings(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
