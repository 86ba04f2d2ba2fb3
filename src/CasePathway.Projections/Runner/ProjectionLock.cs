using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace CasePathway.Projections.Runner;

/// <summary>
/// Ownership of a projection: a session-level advisory lock held on a dedicated connection. If the owning
/// process dies, PostgreSQL ends its session and frees the lock, and another runner takes over.
/// </summary>
public sealed class ProjectionLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private ProjectionLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    public static long KeyOf(string projection) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("casepathway.projection:" + projection)), 0);

    /// <summary>The lock if it was free, otherwise null.</summary>
    public static async Task<ProjectionLock?> TryAcquireAsync(NpgsqlDataSource dataSource, string projection, CancellationToken ct)
    {
        var key = KeyOf(projection);
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!) return new ProjectionLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>True while the session holding the lock is alive.</summary>
    public async Task<bool> IsHeldAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = new NpgsqlCommand("select 1", _connection);
            await cmd.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var cmd = new NpgsqlCommand("select pg_advisory_unlock($1)", _connection) { Parameters = { new() { Value = _key } } };
                await cmd.ExecuteScalarAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The session is gone, and with it the lock.
        }
        await _connection.DisposeAsync();
    }
}
