using System.CommandLine;
using CasePathway.Host.Runtime;
using CasePathway.Host.Web;

namespace CasePathway.Host.Cli;

/// <summary>
/// <c>serve --urls http://127.0.0.1:PORT</c>: runs the web app and HTTP API against CASEPATHWAY_DB, with
/// the projections running in the background, until stopped (Ctrl-C).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Loopback URL(s) to listen on, separated by ';' (port 0 picks a free one)",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var command = new Command("serve", "Run the web app and HTTP API on this machine (loopback only), against CASEPATHWAY_DB") { urls };
        command.SetAction((parse, cancellationToken) => CliOutput.Guard(parse, async () =>
        {
            var settings = new WebAppSettings { Urls = parse.GetValue(urls)! };
            try
            {
                LoopbackUrls.Parse(settings.Urls);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            // The database is prepared (created, migrated, Marten's schema applied) on another thread while the web
            // app's builder and its first registrations are made (most of either is the JIT, and a machine has more
            // than one core); the app waits for the runtime where it registers it.
            StartupTimes.Mark("command parsed");
            var opening = Task.Run(async () =>
            {
                var opened = await CasePathwayRuntime.OpenAsync(ct: cancellationToken);
                StartupTimes.Mark(opened.StoreSchemaApplied ? "database prepared, Marten's schema applied" : "database prepared, Marten's schema current");
                return opened;
            }, cancellationToken);
            WebApplication built;
            try
            {
                built = WebApp.Build(settings, services => services.AddCasePathwayRuntime(opening.GetAwaiter().GetResult()));
            }
            catch
            {
                // a failed build leaves no open runtime behind (the opening's own failure, if any, is the one thrown)
                try { await (await opening).DisposeAsync(); } catch (Exception) when (!opening.IsCompletedSuccessfully) { }
                throw;
            }
            await using var runtime = await opening;
            await using var app = built;
            StartupTimes.Mark("web app built");
            await app.StartAsync(cancellationToken);
            StartupTimes.Mark("hosts started (Wolverine, daemon, Kestrel)");
            foreach (var address in WebApp.Addresses(app)) await Console.Error.WriteLineAsync($"Listening on {address}");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }));
        return command;
    }
}
