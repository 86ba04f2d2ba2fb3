using System.CommandLine;
using CasePathway.Host.Runtime;
using CasePathway.Host.Web;
using JasperFx;

namespace CasePathway.Host.Cli;

/// <summary>
/// The Critter Stack's own commands (JasperFx, Wolverine, Weasel), run over the web app exactly as
/// <c>serve</c> builds it but not started: <c>codegen write</c> sees the very endpoints <c>serve</c> maps, and
/// <c>db-apply</c> or <c>storage</c> the same message store. They are listed here so that one command tree
/// answers <c>--help</c>; the arguments after the name go to JasperFx untouched. JasperFx's <c>projections</c>
/// and <c>run</c> are deliberately absent: ours (<c>projections</c>, <c>serve</c>) keep those jobs.
/// </summary>
public static class CritterStackCommands
{
    private static readonly (string Name, string Description)[] Commands =
    [
        ("describe", "Describe the application's configuration: Wolverine, its HTTP endpoints, message storage (Critter Stack)"),
        ("check-env", "Run the environment checks: the database and Wolverine's message storage answer (Critter Stack)"),
        ("codegen", "Generated code: 'codegen write' regenerates src/CasePathway.Host/Internal/Generated; also preview, delete (Critter Stack)"),
        ("db-apply", "Create or update Wolverine's message storage (schema 'wolverine'); CasePathway's own schema migrates at every start (Critter Stack)"),
        ("db-assert", "Fail when the database differs from what the configuration expects (Critter Stack)"),
        ("db-patch", "Write the SQL that would bring the database up to date, without running it (Critter Stack)"),
        ("db-dump", "Write the SQL of the expected database objects (Critter Stack)"),
        ("db-list", "List the database objects the configuration expects (Critter Stack)"),
        ("resources", "Check, set up, clear or tear down stateful resources such as the message storage (Critter Stack)"),
        ("storage", "Wolverine's message storage: counts, clear, rebuild, release (Critter Stack)"),
    ];

    public static IEnumerable<Command> Create()
    {
        foreach (var (name, description) in Commands)
        {
            var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
            command.SetAction((parse, ct) => CliOutput.Guard(parse, () => RunAsync([name, .. parse.UnmatchedTokens], ct)));
            yield return command;
        }
    }

    private static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        // with the runtime, as serve has it, so that codegen generates what serve loads (message storage included)
        await using var runtime = await CasePathwayRuntime.OpenAsync(ct: ct);
        await using var app = WebApp.Build(
            new WebAppSettings
            {
                Urls = "http://127.0.0.1:0",
                // what the command prints (generated code, SQL) is not buried under start-up logs
                Configuration = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
            },
            services => services.AddCasePathwayRuntime(runtime, runProjections: false));
        return await app.RunJasperFxCommands(args);
    }
}
