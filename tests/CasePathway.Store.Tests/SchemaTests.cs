using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using CasePathway.Testing;
using Npgsql;

namespace CasePathway.Store.Tests;

public class SchemaTests
{
    [Fact]
    public async Task A_missing_database_is_created_and_creating_it_again_is_harmless()
    {
        var connectionString = TestDatabase.UnusedDatabase();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Database.EnsureCreatedAsync(connectionString)));
            await Database.EnsureCreatedAsync(connectionString);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            connection.Database.ShouldBe(new NpgsqlConnectionStringBuilder(connectionString).Database);
            // Text compared as bytes, whatever the server's default: code point order, without the locale library.
            await using var collation = new NpgsqlCommand("select datcollate from pg_database where datname = current_database()", connection);
            (await collation.ExecuteScalarAsync()).ShouldBe("C");
            await using var order = new NpgsqlCommand("select string_agg(k, ',' order by k) from unnest(array['b', 'B', 'a', 'é', 'A', 'z', '10', '9']) k", connection);
            (await order.ExecuteScalarAsync()).ShouldBe("10,9,A,B,a,b,z,é");
        }
        finally
        {
            await Database.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrating_twice_applies_each_migration_once()
    {
        var connectionString = TestDatabase.UnusedDatabase();
        try
        {
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(connectionString);
            (await SchemaMigrator.MigrateAsync(dataSource)).ShouldBeEmpty();
            // Before Marten's tables exist, only what does not need them.
            (await AppliedVersions(dataSource)).ShouldBe(SchemaMigrator.Embedded.Where(m => !m.NeedsEventStore).Select(m => m.Version));
            using (await CasePathwayDatabase.OpenStoreAsync(dataSource))
                (await SchemaMigrator.MigrateAsync(dataSource, eventStoreReady: true)).ShouldBeEmpty();
            (await AppliedVersions(dataSource)).ShouldBe(SchemaMigrator.Embedded.Select(m => m.Version));
        }
        finally
        {
            await Database.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Two_migrators_starting_together_do_not_collide()
    {
        var connectionString = TestDatabase.UnusedDatabase();
        try
        {
            await Database.EnsureCreatedAsync(connectionString);
            await using var first = NpgsqlDataSource.Create(connectionString);
            await using var second = NpgsqlDataSource.Create(connectionString);
            var applied = await Task.WhenAll(SchemaMigrator.MigrateAsync(first), SchemaMigrator.MigrateAsync(second));

            var readModels = SchemaMigrator.Embedded.Where(m => !m.NeedsEventStore).Select(m => m.Version).ToList();
            applied.SelectMany(a => a).Order().ShouldBe(readModels);
            (await AppliedVersions(first)).ShouldBe(readModels);
        }
        finally
        {
            await Database.DropAsync(connectionString);
        }
    }

    [Fact]
    public void The_read_model_migrations_are_embedded_in_version_order()
    {
        // The event store is Marten's own schema; the migrations hold only the read models.
        SchemaMigrator.Embedded.Select(m => m.Version).ShouldBe(SchemaMigrator.Embedded.Select(m => m.Version).Order());
        SchemaMigrator.Embedded.ShouldContain(m => m.Sql.Contains("create table clock_versions"));
        SchemaMigrator.Embedded.ShouldNotContain(m => m.Sql.Contains("CREATE TABLE events"));
    }

    [Fact]
    public async Task The_fixture_database_has_the_store_tables()
    {
        var db = new TestDatabase();
        await db.InitializeAsync();
        try
        {
            await using var command = db.DataSource.CreateCommand(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema in ('public', 'casepathway')");
            var tables = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
            // Marten's event store and the receipts in their schema; the read models in public.
            new[] { "casepathway.mt_events", "casepathway.mt_streams", "casepathway.mt_event_progression", "public.event_receipts",
                "public.schema_migrations", "public.clock_versions", "public.child_timeline" }.ShouldBeSubsetOf(tables);
        }
        finally
        {
            await db.DisposeAsync();
        }
        await using var check = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = "postgres" }.ConnectionString);
        await check.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", check);
        exists.Parameters.AddWithValue(db.DatabaseName);
        (await exists.ExecuteScalarAsync()).ShouldBe(0L, "the fixture drops its database");
    }

    [Fact]
    public async Task The_source_indexes_on_marten_events_are_created_after_marten_and_survive_its_next_start()
    {
        var db = new TestDatabase();
        await db.InitializeAsync();
        try
        {
            (await SourceIndexes(db.DataSource)).ShouldBe(EventStoreOptions.SourceIndexes.Order());
            // Marten drops indexes it does not know at start-up, unless told to ignore them.
            using (await CasePathwayDatabase.OpenStoreAsync(db.DataSource)) { }
            (await SourceIndexes(db.DataSource)).ShouldBe(EventStoreOptions.SourceIndexes.Order());
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static async Task<List<string>> SourceIndexes(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT indexname FROM pg_indexes WHERE schemaname = 'casepathway' AND indexname LIKE 'cp_events_%' ORDER BY indexname");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    [Fact]
    public async Task Migration_text_may_hold_several_statements_and_dollar_quoted_function_bodies()
    {
        // Later migrations (read models) may define PL/pgSQL functions: the migrator sends a file's text as is.
        var db = new TestDatabase();
        await db.InitializeAsync();
        try
        {
            await using var command = db.DataSource.CreateCommand("""
                CREATE FUNCTION cp_probe() RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                    RETURN 41 + 1; -- a semicolon inside the body
                END;
                $$;
                SELECT cp_probe();
                """);
            (await command.ExecuteScalarAsync()).ShouldBe(42);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static async Task<List<int>> AppliedVersions(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }
}
