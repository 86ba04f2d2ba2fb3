using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace CasePathway.Store.Schema;

/// <summary>
/// Lets a start-up skip a Weasel schema check (Marten's <c>ApplyAllConfiguredChangesToDatabaseAsync</c>, Wolverine's
/// message storage migration) that would find nothing to do: the check reads the whole catalogue of its schema and
/// compares it with what the configuration builds, a second or more of every start. After each successful apply the
/// store's fingerprint is recorded in <c>schema_fingerprints</c> (migration 0025); a start whose fingerprint equals
/// the recorded one, and whose objects all still exist, does not check again.
/// </summary>
/// <remarks>
/// <para>Why the fingerprint covers the schema the check would build: it is the SHA-256 of exactly what the check
/// compares the database with — every schema object the store's configuration holds, after the same post-processing
/// the apply does, written out as its own creation DDL (<c>ISchemaObject.WriteCreateStatement</c>, the statement the
/// check would run for a missing object), ordered by name — together with the versions of the assemblies that write
/// that DDL and decide what to change (Weasel's, and the store's own: Marten or Wolverine). Any change of
/// configuration (schema name, a mapped type, an index, tenancy, a projection's table) changes the DDL text; any
/// upgrade of the packages changes the versions, so the first start after it checks in full even when the text would
/// not show the difference.</para>
/// <para>What a matching fingerprint does not cover: changes made by hand to objects that still exist (a column
/// dropped or retyped, a constraint removed). Objects that no longer exist — a table, index, sequence, function or
/// foreign key someone dropped, the whole schema — are found by one query over the catalogue
/// (<see cref="IsCurrentAsync"/>) and make the start check in full. <c>CASEPATHWAY_SCHEMA_CHECK=always</c> (or
/// deleting the store's row) forces the full check at the next start (docs/operations.md).</para>
/// </remarks>
public static class SchemaFingerprint
{
    /// <summary>The stores whose checks are fingerprinted, as named in <c>schema_fingerprints.store</c>.</summary>
    public const string Marten = "marten";
    public const string AccessAudit = "access_audit";
    public const string Wolverine = "wolverine";

    /// <summary><c>CASEPATHWAY_SCHEMA_CHECK=always</c>: check every store in full at this start, whatever is recorded.</summary>
    public static bool AlwaysCheck => Environment.GetEnvironmentVariable("CASEPATHWAY_SCHEMA_CHECK") is "always";

    /// <summary>
    /// The database's configured schema objects (post-processed as the apply does) and their fingerprint. CPU only:
    /// a few milliseconds for Marten's store.
    /// </summary>
    public static (string Fingerprint, ISchemaObject[] Objects) Compute<T>(DatabaseBase<T> database) where T : System.Data.Common.DbConnection, new()
    {
        var objects = database.AllObjects().ToArray();
        foreach (var processed in objects.OfType<ISchemaObjectWithPostProcessing>()) processed.PostProcess(objects);
        var text = new StringWriter();
        text.WriteLine("casepathway schema fingerprint 1");
        foreach (var assembly in new[] { typeof(DatabaseBase<>).Assembly, database.Migrator.GetType().Assembly, database.GetType().Assembly }
                     .Concat(BaseAssemblies(database.GetType())).Distinct())
            text.WriteLine($"{assembly.GetName().Name} {assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString()}");
        foreach (var item in objects.OrderBy(o => o.Identifier.QualifiedName, StringComparer.Ordinal))
        {
            text.WriteLine(item.Identifier.QualifiedName);
            item.WriteCreateStatement(database.Migrator, text);
        }
        return (Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), objects);
    }

    private static IEnumerable<Assembly> BaseAssemblies(Type? type)
    {
        for (; type is not null && type != typeof(object); type = type.BaseType) yield return type.Assembly;
    }

    /// <summary>
    /// True when <paramref name="store"/>'s recorded fingerprint is <paramref name="fingerprint"/> and every object the
    /// configuration names still exists (tables, indexes, sequences, functions, types, foreign keys, extensions) — one
    /// round trip. False when anything differs, the row or the table is missing, or <see cref="AlwaysCheck"/>.
    /// </summary>
    public static async Task<bool> IsCurrentAsync(NpgsqlDataSource dataSource, string store, string fingerprint, IEnumerable<ISchemaObject> objects, CancellationToken ct = default)
    {
        if (AlwaysCheck) return false;
        var names = objects.SelectMany(o => o.AllNames()).DistinctBy(n => n.QualifiedName).ToList();
        await using var command = dataSource.CreateCommand("""
            select (select fingerprint from schema_fingerprints where store = $1) = $2,
                   (select count(*) from unnest($3::text[], $4::text[]) as wanted(s, n)
                    where not exists (select 1 from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
                                      where ns.nspname = wanted.s and c.relname in (left(wanted.n, 63), left(lower(wanted.n), 63)))
                      and not exists (select 1 from pg_proc p join pg_namespace ns on ns.oid = p.pronamespace
                                      where ns.nspname = wanted.s and p.proname in (wanted.n, lower(wanted.n)))
                      and not exists (select 1 from pg_type t join pg_namespace ns on ns.oid = t.typnamespace
                                      where ns.nspname = wanted.s and t.typname in (wanted.n, lower(wanted.n)))
                      and not exists (select 1 from pg_constraint k join pg_namespace ns on ns.oid = k.connamespace
                                      where ns.nspname = wanted.s and k.conname in (left(wanted.n, 63), left(lower(wanted.n), 63)))
                      and not exists (select 1 from pg_extension e where e.extname in (wanted.n, lower(wanted.n))))
            """);
        command.Parameters.AddWithValue(store);
        command.Parameters.AddWithValue(fingerprint);
        command.Parameters.AddWithValue(names.Select(n => n.Schema).ToArray());
        command.Parameters.AddWithValue(names.Select(n => n.Name).ToArray());
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return !reader.IsDBNull(0) && reader.GetBoolean(0) && reader.GetInt64(1) == 0;
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            return false; // migration 0025 not applied yet: nothing recorded
        }
    }

    /// <summary>Records <paramref name="store"/>'s fingerprint after its schema was applied successfully.</summary>
    public static async Task RecordAsync(NpgsqlDataSource dataSource, string store, string fingerprint, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            insert into schema_fingerprints (store, fingerprint) values ($1, $2)
            on conflict (store) do update set fingerprint = excluded.fingerprint, applied_at = now()
            """);
        command.Parameters.AddWithValue(store);
        command.Parameters.AddWithValue(fingerprint);
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            // a database without migration 0025 (a store opened before the migrations ran): nothing to record in
        }
    }

    /// <summary>
    /// Applies a Weasel database's configured schema unless its fingerprint is current; returns whether it applied.
    /// When skipped, every feature is marked as checked, exactly as a full apply leaves them, so that Marten does not
    /// check a feature again on its first use (AutoCreate) and no DDL runs behind a request.
    /// </summary>
    public static async Task<bool> ApplyUnlessCurrentAsync<T>(DatabaseBase<T> database, NpgsqlDataSource dataSource, string store,
        Func<Task> apply, CancellationToken ct = default) where T : System.Data.Common.DbConnection, new()
    {
        if (await ToApplyAsync(database, dataSource, store, ct) is not { } fingerprint) return false;
        await apply();
        await RecordAsync(dataSource, store, fingerprint, ct);
        return true;
    }

    /// <summary>
    /// Null when <paramref name="store"/>'s schema is current (<see cref="IsCurrentAsync"/>): every feature is then
    /// marked as checked, as a full apply leaves them. Otherwise the fingerprint to record once the apply succeeded.
    /// </summary>
    public static async Task<string?> ToApplyAsync<T>(DatabaseBase<T> database, NpgsqlDataSource dataSource, string store,
        CancellationToken ct = default) where T : System.Data.Common.DbConnection, new()
    {
        var (fingerprint, objects) = Compute(database);
        if (!await IsCurrentAsync(dataSource, store, fingerprint, objects, ct)) return fingerprint;
        database.MarkAllFeaturesAsChecked();
        return null;
    }

    private const string UndefinedTable = "42P01";
}
