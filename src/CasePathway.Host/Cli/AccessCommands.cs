using System.CommandLine;
using System.Text.Json;
using CasePathway.Host.Runtime;
using CasePathway.Host.Security;
using CasePathway.Store;

namespace CasePathway.Host.Cli;

/// <summary>
/// <c>users|clients add|list|disable</c> and <c>councils add|list</c>: the operator's accounts (docs/security.md).
/// They talk to the database directly, so they are for the server's operators, not over the web.
/// </summary>
public static class AccessCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Accounts("users", AccountKind.User, "People who sign in to the pages through the embedded provider.");
        yield return Accounts("clients", AccountKind.Client, "Machine clients (a case system's feed, scripts): OAuth 2.0 client credentials at POST /connect/token.");
        yield return Councils();
        yield return Audit();
    }

    private static Command Audit()
    {
        var tenant = new Option<string>("--tenant") { Description = "the council whose audit to read", Required = true };
        var child = new Option<string?>("--child") { Description = "only the looks at this child" };
        var who = new Option<string?>("--who") { Description = "only the looks of this person or client (the subject the audit names)" };
        var from = new Option<string?>("--from") { Description = "only looks on or after this date (yyyy-MM-dd, UTC)" };
        var to = new Option<string?>("--to") { Description = "only looks on or before this date (yyyy-MM-dd, UTC)" };
        var format = CliOutput.FormatOption("table", "table", "json", "csv");
        var command = new Command("audit", "Every look at a council's children's records: who, role, child, as-at, what, when.") { tenant, child, who, from, to, format };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var problems = new Web.FieldProblems();
            var filter = AccessAudit.FilterOf(parse.GetValue(tenant), parse.GetValue(child), parse.GetValue(who), parse.GetValue(from), parse.GetValue(to), problems);
            if (filter is null) throw new UsageException(string.Join("; ", problems.All().Select(p => $"--{p.Field}: {p.Problem}")));
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            using var audit = new AccessAudit(dataSource);
            await audit.EnsureAsync(ct);
            var rows = await audit.ReadAsync(filter, ct);
            switch (parse.GetValue(format))
            {
                case "json": CliOutput.WriteJson(parse, rows); break;
                case "csv": CliOutput.WriteCsv(parse, AccessAudit.Columns, rows.Select(AccessAudit.Row)); break;
                default: CliOutput.WriteTable(parse, null, AccessAudit.Columns, rows.Select(AccessAudit.Row)); break;
            }
            return 0;
        }));
        return command;
    }

    private static Command Accounts(string name, AccountKind kind, string description)
    {
        var group = new Command(name, description);
        var accountName = new Argument<string>("name") { Description = kind == AccountKind.User ? "the user name" : "the client id" };
        var tenants = new Option<string[]>("--tenant") { Description = "a council the account belongs to (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = false };
        var roles = new Option<string[]>("--role") { Description = "a role: " + string.Join(", ", Roles.All) + " (repeat for several)", Required = true };
        var teams = new Option<string[]>("--team") { Description = "a team whose lists a duty manager reads (repeat for several)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from the first line of standard input (otherwise one is made and printed once)" };
        var format = CliOutput.FormatOption("table", "table", "json");
        var add = new Command("add", kind == AccountKind.User ? "Add a person." : "Add a machine client; prints its secret once.") { accountName, tenants, roles, format };
        if (kind == AccountKind.User) { add.Options.Add(teams); add.Options.Add(passwordStdin); }
        add.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var id = parse.GetValue(accountName)!;
            var councils = parse.GetValue(tenants) ?? [];
            var roleList = parse.GetValue(roles) ?? [];
            if (AccountStore.Problem(id, roleList, councils) is { } problem) throw new UsageException(problem);
            string secret;
            var generated = true;
            if (kind == AccountKind.User && parse.GetValue(passwordStdin))
            {
                secret = (await Console.In.ReadLineAsync(ct)) ?? "";
                if (secret.Length < 12) throw new UsageException("--password-stdin: the password must have at least 12 characters");
                generated = false;
            }
            else secret = AccountStore.NewSecret();
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            var store = new AccountStore(dataSource);
            await store.AddCouncilsAsync(councils, "casepathway " + name + " add", ct);
            if (!await store.AddAsync(kind, id, secret, roleList, councils, kind == AccountKind.User ? parse.GetValue(teams) ?? [] : [], ct))
                throw new UsageException($"NAME: {name[..^1]} '{id}' already exists");
            var output = CliOutput.Out(parse);
            if (parse.GetValue(format) == "json")
                CliOutput.WriteJson(parse, kind == AccountKind.Client
                    ? new Dictionary<string, string> { ["clientId"] = id, ["clientSecret"] = secret }
                    : new Dictionary<string, string> { ["user"] = id, ["password"] = generated ? secret : "(as given)" });
            else if (kind == AccountKind.Client)
                await output.WriteLineAsync($"client {id} added ({string.Join(", ", roleList)} of {string.Join(", ", councils)})\nclient id:     {id}\nclient secret: {secret}\nThe secret is shown once: keep it in the client's configuration.");
            else
                await output.WriteLineAsync($"user {id} added ({string.Join(", ", roleList)} of {string.Join(", ", councils)})" + (generated ? $"\npassword: {secret}\nThe password is shown once." : ""));
            return 0;
        }));
        var list = new Command("list", "List them (never their secrets).") { format };
        list.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            var accounts = await new AccountStore(dataSource).ListAsync(kind, ct);
            if (parse.GetValue(format) == "json")
                CliOutput.WriteJson(parse, accounts.Select(a => new { name = a.Name, roles = a.Roles, councils = a.Councils, teams = a.Teams, disabled = a.Disabled, lockedUntil = a.LockedUntil }));
            else
                CliOutput.WriteTable(parse, null, ["name", "roles", "councils", "teams", "disabled"],
                    accounts.Select(a => (IReadOnlyList<string?>)[a.Name, string.Join(" ", a.Roles), string.Join(" ", a.Councils), string.Join(" ", a.Teams), a.Disabled ? "yes" : ""]));
            return 0;
        }));
        var disable = new Command("disable", "Disable one: it can no longer sign in or get a token.") { accountName };
        disable.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            var id = parse.GetValue(accountName)!;
            if (!await new AccountStore(dataSource).DisableAsync(kind, id, ct)) throw new UsageException($"NAME: no {name[..^1]} '{id}'");
            await CliOutput.Out(parse).WriteLineAsync($"{name[..^1]} {id} disabled");
            return 0;
        }));
        group.Subcommands.Add(add);
        group.Subcommands.Add(list);
        group.Subcommands.Add(disable);
        if (kind == AccountKind.User) group.Subcommands.Add(DemoUsers());
        return group;
    }

    /// <summary><c>users demo --tenant demo</c>: one person per role, each with a new password, printed (ops/run).</summary>
    private static Command DemoUsers()
    {
        var tenant = new Option<string>("--tenant") { Description = "the demo council (default: demo)", DefaultValueFactory = _ => "demo" };
        var command = new Command("demo", "Make (or reset) the demo accounts, one per role, and print their passwords.") { tenant };
        command.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var council = CliOutput.Id(parse, tenant);
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            var store = new AccountStore(dataSource);
            await store.AddCouncilsAsync([council], "casepathway users demo", ct);
            var rows = new List<IReadOnlyList<string?>>();
            foreach (var role in Roles.All)
            {
                var name = "demo-" + role;
                var password = AccountStore.NewSecret()[..16];
                await store.PutAsync(AccountKind.User, name, password, [role], [council], role == Roles.DutyManager ? ["MASH", "Assessment North"] : [], ct);
                rows.Add([name, password, role, council]);
            }
            CliOutput.WriteTable(parse, "Demo accounts (new passwords each run)", ["user", "password", "role", "council"], rows);
            return 0;
        }));
        return command;
    }

    private static Command Councils()
    {
        var group = new Command("councils", "The councils events may be sent for.");
        var tenant = new Argument<string[]>("tenant") { Description = "council ids (e.g. DfE LA codes)", Arity = ArgumentArity.OneOrMore };
        var add = new Command("add", "Add councils.") { tenant };
        add.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            var tenants = parse.GetValue(tenant) ?? [];
            foreach (var t in tenants) CliOutput.Id("tenant", t, CasePathway.Domain.Events.DoorLimits.TenantProblem);
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            await new AccountStore(dataSource).AddCouncilsAsync(tenants, "casepathway councils add", ct);
            await CliOutput.Out(parse).WriteLineAsync($"councils: {string.Join(", ", tenants)} configured");
            return 0;
        }));
        var list = new Command("list", "List the configured councils.");
        list.SetAction((parse, ct) => CliOutput.Guard(parse, async () =>
        {
            await using var dataSource = await CasePathwayDatabase.PrepareAsync(Settings.ConnectionString(), ct);
            await using var cmd = dataSource.CreateCommand("select tenant from councils order by tenant");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) await CliOutput.Out(parse).WriteLineAsync(reader.GetString(0));
            return 0;
        }));
        group.Subcommands.Add(add);
        group.Subcommands.Add(list);
        return group;
    }

    /// <summary>After an operator's import or demo load: every council that now has events is configured; says which were new.</summary>
    public static async Task<IReadOnlyList<string>> AddCouncilsWithEventsAsync(Npgsql.NpgsqlDataSource dataSource, string by, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            insert into councils (tenant, added_by)
            select distinct tenant_id, $1 from {CasePathway.Store.Marten.EventStoreOptions.SchemaName}.mt_streams
            on conflict do nothing returning tenant
            """);
        cmd.Parameters.Add(new() { Value = by });
        var added = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) added.Add(reader.GetString(0));
        return added;
    }
}
