using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CasePathway.Testing;
using CasePathway.Host.Security;
using CasePathway.Host.Tests.Security;
using Npgsql;

namespace CasePathway.Host.Tests.Failover;

/// <summary>
/// Two real server processes on one database, as a council would run them behind one address. Marten's
/// HotCold daemon runs the projections on one of them; killing that one with SIGKILL while events keep
/// arriving must hand the projections to the other, lose and double nothing, and leave read models equal
/// to a rebuild.
/// </summary>
public sealed class TwoServersTests : IAsyncLifetime
{
    private const string Tenant = "failover";
    private readonly TestDatabase _db = new();
    private readonly List<Process> _servers = [];

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var p in _servers.Where(p => !p.HasExited)) p.Kill(entireProcessTree: true);
        foreach (var p in _servers) await p.WaitForExitAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_server_running_the_projections_hands_them_to_the_other_and_loses_nothing()
    {
        var a = await StartServerAsync("node-a");
        var b = await StartServerAsync("node-b");

        var leader = await WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        leader.ShouldNotBeNull("one of the two servers takes the projections");
        var (doomed, survivor) = leader == "node-a" ? (a, b) : (b, a);
        var survivorName = leader == "node-a" ? "node-b" : "node-a";

        // a token from the server about to die is accepted by the survivor: they share the issuer and the keys
        string token;
        await using (var ds = NpgsqlDataSource.Create(_db.ConnectionString))
        {
            var (id, secret) = await TestAccess.AddClientAsync(new AccountStore(ds), [Roles.Feed], [Tenant]);
            token = await TestAccess.TokenAsync(doomed.Address, id, secret);
        }
        using var client = new HttpClient { BaseAddress = survivor.Address, Timeout = TimeSpan.FromSeconds(30) }.WithToken(token);
        var posted = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                var response = await client.PostAsJsonAsync("/api/events", Contact(i));
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                Interlocked.Increment(ref posted);
                await Task.Delay(20);
            }
        });

        while (Volatile.Read(ref posted) < 40) await Task.Delay(50);
        doomed.Process.Kill(entireProcessTree: true); // SIGKILL: no graceful hand-over
        var killedAt = Stopwatch.StartNew();
        (await WaitForLeaderAsync(TimeSpan.FromSeconds(30), survivorName)).ShouldBe(survivorName,
            "the surviving server takes the projections over within 30 s; " + await ActivityAsync());
        killedAt.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        await sending;

        var events = await ScalarAsync("select count(*) from casepathway.mt_events where tenant_id = 'failover'");
        events.ShouldBe(150L, "every accepted event is stored once");
        await WaitForProjectionsAsync(TimeSpan.FromSeconds(60));
        (await ScalarAsync("select count(*) from child_timeline where tenant = 'failover'")).ShouldBe(150L, "each event projected exactly once");
        var live = await ReadModelsAsync();

        survivor.Process.Kill(entireProcessTree: true);
        await survivor.Process.WaitForExitAsync();
        await RunCommandAsync("projections", "rebuild");
        (await ReadModelsAsync()).ShouldBe(live, "the read models the daemons built equal a rebuild");
    }

    private static object Contact(int i) => new
    {
        id = Guid.NewGuid(),
        tenant = Tenant,
        child = $"C{i % 37}",
        type = "ContactReceived",
        occurredAt = $"2022-10-03T09:{i % 60:00}:00+01:00",
        data = new { contactId = $"K{i}", route = "mash" },
    };

    private sealed record Server(Process Process, Uri Address);

    private async Task<Server> StartServerAsync(string name)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CasePathway.Host.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // The application name tells the two servers' connections apart in pg_stat_activity.
        start.Environment["CASEPATHWAY_DB"] = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { ApplicationName = name }.ConnectionString;
        start.Environment["CASEPATHWAY_TENANTS"] = Path.Combine(Path.GetTempPath(), "casepathway-no-tenant-files");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // several hosts behind one address name one issuer (docs/security.md)
        start.Environment["CasePathway__Auth__Issuer"] = "http://casepathway.failover.test/";
        var process = Process.Start(start)!;
        _servers.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var address = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            process.HasExited.ShouldBeFalse($"server {name} exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return new Server(process, address);
            }
            // not listening yet, or (on a loaded machine) its first answer slower than the probe's 5 s: not live yet
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"server {name} did not start within 60 s");
    }

    /// <summary>The application name of the connection holding Marten's projection lock (an advisory lock), once there is one.</summary>
    /// <summary>
    /// The server holding Marten's projection locks (advisory locks with the ids Marten computes for each
    /// projection's shard) once one server holds them all — or <paramref name="expected"/> once it does. Other
    /// advisory locks (Wolverine's own, say) are not the projections' and are not counted.
    /// </summary>
    private async Task<string?> WaitForLeaderAsync(TimeSpan timeout, string? expected = null)
    {
        var lockIds = new[] { "pathways", "scorecard" }
            .Select(name => (long)JasperFx.Events.Daemon.ProjectionLockIds.Compute(
                CasePathway.Store.Marten.EventStoreOptions.SchemaName, JasperFx.Events.Projections.ShardName.Compose(name),
                _db.DocumentStore.Options.Projections.DaemonLockId))
            .ToArray();
        var deadline = DateTime.UtcNow + timeout;
        string? leader = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = new NpgsqlConnection(_db.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                """
                select l.objid::bigint, a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.granted and a.datname = current_database()
                  and l.classid = 0 and l.objid::bigint = any($1)
                """, connection);
            cmd.Parameters.Add(new NpgsqlParameter { Value = lockIds });
            var holders = new List<(long Lock, string Holder)>();
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync()) holders.Add((reader.GetInt64(0), reader.GetString(1)));
            holders.GroupBy(h => h.Lock).ShouldAllBe(g => g.Count() == 1, "never two servers running one projection at once");
            var all = holders.Select(h => h.Lock).Distinct().Count() == lockIds.Length;
            leader = all && holders.Select(h => h.Holder).Distinct().Count() == 1 ? holders[0].Holder : null;
            if (leader is not null && (expected is null || leader == expected)) return leader;
            // held apart (HotCold elects per projection): the pathways lock's holder is the one to kill
            if (expected is null && all) return holders.Single(h => h.Lock == lockIds[0]).Holder;
            await Task.Delay(250);
        }
        return leader;
    }

    private async Task<string> ActivityAsync()
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select string_agg(application_name || ' ' || state || ' ' || coalesce(wait_event_type,'') || ' ' || coalesce(wait_event,'') || ' ' || left(query, 120), E'\n') from pg_stat_activity where application_name like 'node-%'", connection);
        return (string)(await cmd.ExecuteScalarAsync() ?? "");
    }

    private async Task WaitForProjectionsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var behind = await ScalarAsync(
                """
                select (select coalesce(max(seq_id), 0) from casepathway.mt_events)
                     - coalesce((select min(last_seq_id) from casepathway.mt_event_progression where name <> 'HighWaterMark'), 0)
                """);
            if (behind == 0) return;
            await Task.Delay(250);
        }
        throw new TimeoutException("the projections did not catch up");
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Every read-model row of the tenant as text, in a stable order.</summary>
    private async Task<List<string>> ReadModelsAsync()
    {
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "select c::text from clock_versions c where tenant = 'failover' order by child, rule, episode, known_from",
            "select t::text from child_timeline t where tenant = 'failover' order by child, seq",
        })
        {
            await using var connection = new NpgsqlConnection(_db.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private async Task RunCommandAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CasePathway.Host.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CASEPATHWAY_DB"] = _db.ConnectionString;
        start.Environment["CASEPATHWAY_TENANTS"] = Path.Combine(Path.GetTempPath(), "casepathway-no-tenant-files");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, stdout + await stderr);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
