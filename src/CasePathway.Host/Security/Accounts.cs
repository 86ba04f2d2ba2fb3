using System.Collections.Concurrent;
using System.Security.Cryptography;
using CasePathway.Domain.Events;
using Microsoft.AspNetCore.Identity;
using NodaTime;
using Npgsql;

namespace CasePathway.Host.Security;

public enum AccountKind { User, Client }

public sealed record Account(AccountKind Kind, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Councils, IReadOnlyList<string> Teams, bool Disabled, DateTime? LockedUntil);

/// <summary>The outcome of checking a name and a secret.</summary>
public enum SignInCheck { Succeeded, Failed, LockedOut, Disabled }

/// <summary>
/// People and machine clients in table <c>accounts</c>, and the councils in <c>councils</c>. Secrets are
/// kept only as ASP.NET Core Identity password hashes; after <see cref="MaxFailures"/> wrong secrets in a row
/// an account is locked for <see cref="LockoutMinutes"/> minutes (a right secret then is refused too).
/// </summary>
public sealed class AccountStore(NpgsqlDataSource dataSource)
{
    public const int MaxFailures = 5;
    public const int LockoutMinutes = 15;

    private static readonly PasswordHasher<string> Hasher = new();

    public static string Kind(AccountKind kind) => kind == AccountKind.User ? "user" : "client";

    /// <summary>Checks an account's fields, naming the first problem, or null when they are fine.</summary>
    public static string? Problem(string name, IReadOnlyList<string> roles, IReadOnlyList<string> councils)
    {
        if (DoorLimits.TenantProblem(name) is { } p) return $"NAME: {p}";
        if (roles.Count == 0) return "--role: at least one is required (" + string.Join(", ", Roles.All) + ")";
        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } bad) return $"--role: '{bad}' is not a role (" + string.Join(", ", Roles.All) + ")";
        if (councils.Count == 0) return "--tenant: at least one council is required";
        if (councils.Select(DoorLimits.TenantProblem).FirstOrDefault(x => x is not null) is { } c) return $"--tenant: {c}";
        return null;
    }

    public async Task AddCouncilsAsync(IEnumerable<string> tenants, string addedBy, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("insert into councils (tenant, added_by) select unnest($1::text[]), $2 on conflict do nothing");
        cmd.Parameters.Add(new() { Value = tenants.Distinct().ToArray() });
        cmd.Parameters.Add(new() { Value = addedBy });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    // Councils are added and never removed (nothing deletes from councils), so one found stays found: every POST
    // /api/events asks, and asking the database each time cost the append a round trip of its three. One not
    // found is asked about again next time, since an operator may add it at any moment, from any process.
    private readonly ConcurrentDictionary<string, bool> _knownCouncils = new(StringComparer.Ordinal);

    /// <summary>The configured councils among <paramref name="tenants"/>.</summary>
    public async Task<IReadOnlySet<string>> KnownCouncilsAsync(IEnumerable<string> tenants, CancellationToken ct = default)
    {
        var asked = tenants.Distinct().ToArray();
        var known = new HashSet<string>(asked.Where(_knownCouncils.ContainsKey), StringComparer.Ordinal);
        if (known.Count == asked.Length) return known;
        await using var cmd = dataSource.CreateCommand("select tenant from councils where tenant = any($1)");
        cmd.Parameters.Add(new() { Value = asked.Where(t => !known.Contains(t)).ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            known.Add(reader.GetString(0));
            _knownCouncils.TryAdd(reader.GetString(0), true);
        }
        return known;
    }

    /// <summary>Adds an account with the given secret (hashed); false when the name is taken.</summary>
    public async Task<bool> AddAsync(AccountKind kind, string name, string secret, IReadOnlyList<string> roles, IReadOnlyList<string> councils, IReadOnlyList<string> teams, CancellationToken ct = default)
    {
        await using var cmd = Insert("on conflict do nothing", kind, name, secret, roles, councils, teams);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Adds the account or gives it these roles, councils and a new secret (the demo accounts of ops/run).</summary>
    public async Task PutAsync(AccountKind kind, string name, string secret, IReadOnlyList<string> roles, IReadOnlyList<string> councils, IReadOnlyList<string> teams, CancellationToken ct = default)
    {
        await using var cmd = Insert("""
            on conflict (kind, name) do update set secret_hash = excluded.secret_hash, roles = excluded.roles, councils = excluded.councils,
                teams = excluded.teams, disabled = false, failed_attempts = 0, locked_until = null
            """, kind, name, secret, roles, councils, teams);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The insert both ways of adding an account share (checked, secret hashed), ending in <paramref name="onConflict"/>.</summary>
    private NpgsqlCommand Insert(string onConflict, AccountKind kind, string name, string secret, IReadOnlyList<string> roles, IReadOnlyList<string> councils, IReadOnlyList<string> teams)
    {
        if (Problem(name, roles, councils) is { } problem) throw new ArgumentException(problem);
        var cmd = dataSource.CreateCommand(
            "insert into accounts (kind, name, secret_hash, roles, councils, teams) values ($1, $2, $3, $4, $5, $6) " + onConflict);
        cmd.Parameters.Add(new() { Value = Kind(kind) });
        cmd.Parameters.Add(new() { Value = name });
        cmd.Parameters.Add(new() { Value = Hasher.HashPassword(name, secret) });
        cmd.Parameters.Add(new() { Value = roles.Distinct().ToArray() });
        cmd.Parameters.Add(new() { Value = councils.Distinct().ToArray() });
        cmd.Parameters.Add(new() { Value = teams.Distinct().ToArray() });
        return cmd;
    }

    public async Task<bool> DisableAsync(AccountKind kind, string name, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("update accounts set disabled = true where kind = $1 and name = $2");
        cmd.Parameters.Add(new() { Value = Kind(kind) });
        cmd.Parameters.Add(new() { Value = name });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<Account>> ListAsync(AccountKind kind, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("select name, roles, councils, teams, disabled, locked_until from accounts where kind = $1 order by name");
        cmd.Parameters.Add(new() { Value = Kind(kind) });
        var list = new List<Account>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new Account(kind, reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<string[]>(3),
                reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTime>(5)));
        return list;
    }

    public async Task<Account?> FindAsync(AccountKind kind, string name, CancellationToken ct = default) =>
        (await ListAsync(kind, ct)).FirstOrDefault(a => a.Name == name);

    /// <summary>
    /// Checks a secret, counting failures and locking the account after <see cref="MaxFailures"/> in a row,
    /// in one statement per outcome so that concurrent attempts on several hosts count every failure.
    /// </summary>
    public async Task<(SignInCheck Check, Account? Account)> CheckAsync(AccountKind kind, string name, string secret, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow; // the real clock, never CASEPATHWAY_NOW: a lockout must end
        string? hash; bool disabled; DateTime? lockedUntil;
        await using (var cmd = dataSource.CreateCommand("select secret_hash, disabled, locked_until from accounts where kind = $1 and name = $2"))
        {
            cmd.Parameters.Add(new() { Value = Kind(kind) });
            cmd.Parameters.Add(new() { Value = name });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                // the same work as for a real account, so that timing does not tell which names exist
                Hasher.VerifyHashedPassword(name, DummyHash, secret);
                return (SignInCheck.Failed, null);
            }
            hash = reader.IsDBNull(0) ? null : reader.GetString(0);
            disabled = reader.GetBoolean(1);
            lockedUntil = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTime>(2);
        }
        if (disabled) return (SignInCheck.Disabled, null);
        if (lockedUntil is { } until && until > now) return (SignInCheck.LockedOut, null);
        var ok = hash is not null && Hasher.VerifyHashedPassword(name, hash, secret) != PasswordVerificationResult.Failed;
        if (!ok)
        {
            await using var fail = dataSource.CreateCommand("""
                update accounts set failed_attempts = failed_attempts + 1,
                    locked_until = case when failed_attempts + 1 >= $3 then $4 else locked_until end
                where kind = $1 and name = $2 returning coalesce(locked_until > $5, false)
                """);
            fail.Parameters.Add(new() { Value = Kind(kind) });
            fail.Parameters.Add(new() { Value = name });
            fail.Parameters.Add(new() { Value = MaxFailures });
            fail.Parameters.Add(new() { Value = now.AddMinutes(LockoutMinutes) });
            fail.Parameters.Add(new() { Value = now });
            var locked = await fail.ExecuteScalarAsync(ct);
            return (locked is true ? SignInCheck.LockedOut : SignInCheck.Failed, null);
        }
        await using (var reset = dataSource.CreateCommand("update accounts set failed_attempts = 0, locked_until = null where kind = $1 and name = $2"))
        {
            reset.Parameters.Add(new() { Value = Kind(kind) });
            reset.Parameters.Add(new() { Value = name });
            await reset.ExecuteNonQueryAsync(ct);
        }
        return (SignInCheck.Succeeded, await FindAsync(kind, name, ct));
    }

    private static readonly string DummyHash = Hasher.HashPassword("", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    /// <summary>A new random secret: 32 bytes, base64url.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
