using CasePathway.Host.Cli;
using CasePathway.Testing;

namespace CasePathway.Host.Tests.Cli;

/// <summary>
/// The command line reads CASEPATHWAY_DB, CASEPATHWAY_NOW and CASEPATHWAY_TENANTS from the process
/// environment, which every test shares: these tests run alone, never beside another collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliEnvironment
{
    public const string Name = "cli environment";
}

/// <summary>A fresh database the commands are pointed at, with "now" pinned.</summary>
public abstract class CliTestBase : IAsyncLifetime
{
    protected TestDatabase Db { get; } = new();

    protected virtual string Now => "2022-09-16T10:00:00+01:00";

    public virtual async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Environment.SetEnvironmentVariable("CASEPATHWAY_DB", Db.ConnectionString);
        Environment.SetEnvironmentVariable("CASEPATHWAY_NOW", Now);
        Environment.SetEnvironmentVariable("CASEPATHWAY_TENANTS", Path.Combine(Path.GetTempPath(), "casepathway-no-tenants"));
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var name in new[] { "CASEPATHWAY_DB", "CASEPATHWAY_NOW", "CASEPATHWAY_TENANTS" })
            Environment.SetEnvironmentVariable(name, null);
        await Db.DisposeAsync();
    }

    internal static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
