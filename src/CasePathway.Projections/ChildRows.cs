using Npgsql;
using NpgsqlTypes;

namespace CasePathway.Projections;

/// <summary>
/// What the per-child projections share: each batch deletes the touched children's rows and writes them
/// anew, with binary COPY, from the children's whole streams.
/// </summary>
internal static class ChildRows
{
    /// <summary>Deletes <paramref name="table"/>'s rows of these children (table names are the projections' own constants).</summary>
    public static async Task DeleteAsync(NpgsqlConnection connection, string table, IReadOnlyList<(string Tenant, string Stream)> children, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            delete from {table} t using unnest($1::text[], $2::text[]) as c(tenant, child)
            where t.tenant = c.tenant and t.child = c.child
            """, connection);
        cmd.Parameters.Add(new() { Value = children.Select(c => c.Tenant).ToArray() });
        cmd.Parameters.Add(new() { Value = children.Select(c => c.Stream).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task WriteNullableAsync(this NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, type, ct);
    }

    public static async Task WriteNullableAsync<T>(this NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct
    {
        if (value is { } v) await copy.WriteAsync(v, type, ct);
        else await copy.WriteNullAsync(ct);
    }
}
