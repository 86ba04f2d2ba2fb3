using CasePathway.Store.Schema;
using Npgsql;

namespace CasePathway.Store;

/// <summary>The one entry point that makes a database ready for CasePathway.</summary>
public static class CasePathwayDatabase
{
    /// <summary>Creates the database if it is missing, applies pending migrations, and returns a data source for it.</summary>
    public static async Task<NpgsqlDataSource> PrepareAsync(string connectionString, CancellationToken ct = default)
    {
        await Database.EnsureCreatedAsync(connectionString, ct);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await SchemaMigrator.MigrateAsync(dataSource, ct);
            return dataSource;
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }
}
