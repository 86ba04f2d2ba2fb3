using System.CommandLine;
using CasePathway.Host.Web;

namespace CasePathway.Host.Cli;

/// <summary><c>serve --urls http://127.0.0.1:PORT</c>: runs the web app until stopped (Ctrl-C).</summary>
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
        command.SetAction(async (parse, cancellationToken) =>
        {
            WebApplication app;
            try
            {
                app = WebApp.Build(WebAppSettings.FromEnvironment(parse.GetValue(urls)!));
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            await app.StartAsync(cancellationToken);
            foreach (var address in WebApp.Addresses(app)) await Console.Error.WriteLineAsync($"Listening on {address}");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
