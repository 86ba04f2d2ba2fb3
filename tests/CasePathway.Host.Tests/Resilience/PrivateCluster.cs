using System.Diagnostics;
using CasePathway.Testing;

namespace CasePathway.Host.Tests.Resilience;

/// <summary>
/// A PostgreSQL cluster of one test's own, made and run by the project's own <c>ops/db</c> in a temporary data
/// folder (<c>CASEPATHWAY_DATA</c>), so that the test may stop and start it without touching the cluster every
/// other test shares.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "casepathway-cluster-" + Guid.NewGuid().ToString("N")[..12]);

    public string ConnectionString { get; private set; } = "";

    public static async Task<PrivateCluster> StartAsync()
    {
        var cluster = new PrivateCluster();
        cluster.ConnectionString = await cluster.DbAsync("start");
        return cluster;
    }

    public Task StopAsync() => DbAsync("stop");

    public async Task StartAgainAsync()
    {
        var again = await DbAsync("start");
        again.ShouldBe(ConnectionString, "the cluster comes back on the port it had");
    }

    /// <summary>A program of the cluster's PostgreSQL (pg_dump, pg_restore), found as ops/db finds them.</summary>
    public static string Binary(string name) =>
        new[] { "/usr/lib/postgresql/15/bin" }.Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")) : [])
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) ?? name;

    private async Task<string> DbAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "ops", "db"));
        start.ArgumentList.Add(command);
        start.Environment["CASEPATHWAY_DATA"] = _data;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"ops/db {command}: {await error}");
        return output.Trim().Split('\n').Last().Trim();
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (Exception) { /* already stopped, or never started */ }
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
