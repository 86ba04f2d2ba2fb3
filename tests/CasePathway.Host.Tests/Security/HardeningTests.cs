using System.Collections.Concurrent;
using System.Net;
using CasePathway.Host.Security;
using CasePathway.Host.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CasePathway.Host.Tests.Security;

public sealed class WidenedAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("http://localhost:5000", false)]
    [InlineData("http://[::1]:5000", false)]
    [InlineData("http://0.0.0.0:5000", true)]
    [InlineData("http://*:5000", true)]
    [InlineData("http://+:80", true)]
    [InlineData("http://[::]:5000", true)]
    [InlineData("https://casepathway.council.gov.uk", true)]
    [InlineData("http://10.1.2.3:8080", true)]
    [InlineData("not an address", true)]
    public void An_address_beyond_loopback_is_named_in_the_start_up_warning(string address, bool widened) =>
        WebHardening.Widened([address]).Count.ShouldBe(widened ? 1 : 0);
}

/// <summary>
/// The real server logging at Information into a list: text an attacker puts in a URL never writes a line of its
/// own (CR/LF in a child id, a tenant or a header), and child ids are not logged at Information.
/// </summary>
public sealed class LogForgingTests(LogForgingTests.Server server) : IClassFixture<LogForgingTests.Server>
{
    public sealed class Server : RuntimeServer
    {
        private readonly LogList _log = new(withExceptions: false);

        public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Log => _log.Lines;

        protected override IEnumerable<KeyValuePair<string, string?>> Configuration => [new("Logging:LogLevel:Default", "Information")];

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_log);
    }

    [Fact]
    public async Task Text_in_a_url_cannot_forge_a_log_line_and_child_ids_are_not_logged()
    {
        using var client = server.CreateClient();
        using var page = server.CreateClient();
        page.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        const string forged = "%0D%0Afail:%20FORGED";
        var urls = new[]
        {
            $"/api/children/A/SECRETCHILD{forged}", $"/api/children/A{forged}/SECRETCHILD", $"/api/breaches?tenant=A{forged}",
            $"/children/A/SECRETCHILD{forged}", $"/breaches?tenant=A&team=T{forged}", $"/nowhere/SECRETCHILD{forged}", "/api/children/A/SECRETCHILD",
        };
        foreach (var url in urls)
        {
            var response = await (url.StartsWith("/api") ? client : page).GetAsync(url);
            ((int)response.StatusCode).ShouldBeLessThan(500, url);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/breaches?tenant=A");
        request.Headers.TryAddWithoutValidation("User-Agent", "x\r\nfail: FORGED");
        await client.SendAsync(request);
        await Task.Delay(200);

        server.Log.ShouldNotBeEmpty("the sink receives the server's log");
        foreach (var (level, category, message) in server.Log)
        {
            message.ShouldNotContain("FORGED", Case.Sensitive, $"{level} {category}");
            if (level <= LogLevel.Information) message.ShouldNotContain("SECRETCHILD", Case.Sensitive, $"{level} {category}");
        }
    }
}
