using System.Diagnostics;

namespace CasePathway.Host.Tests.Api;

/// <summary>Runs the real program (CasePathway.Host.dll beside the tests) against a fixture's database, with its pinned "now".</summary>
public static class CommandLineRun
{
    public static async Task<string> RunAsync(RuntimeServer server, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CasePathway.Host.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CASEPATHWAY_DB"] = server.ConnectionString;
        start.Environment["CASEPATHWAY_NOW"] = Domain.Time.OccurrenceText.Format(RuntimeServer.Now);
        start.Environment["CASEPATHWAY_TENANTS"] = Path.Combine(Path.GetTempPath(), "casepathway-no-tenant-files");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await stderr);
        return stdout;
    }
}
