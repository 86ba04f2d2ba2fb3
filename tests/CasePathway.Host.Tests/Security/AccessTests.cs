using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CasePathway.Host.Security;
using CasePathway.Host.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static CasePathway.Host.Tests.Features.Events.EventsApiTests;

namespace CasePathway.Host.Tests.Security;

/// <summary>
/// The real server with children in two councils: A (CA1 of team T1, CA2 of team T2) and B (CB1); a client per
/// role, each of council A only (a duty manager of team T1), with tokens from the server's own /connect/token.
/// </summary>
public sealed class AccessServer : RuntimeServer
{
    public readonly Dictionary<string, string> Tokens = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var feed = CreateClient();
        foreach (var (tenant, child, team) in new[] { ("A", "CA1", "T1"), ("A", "CA2", "T2"), ("B", "CB1", "T1") })
        {
            var allocated = Contact(child, tenant: tenant, occurredAt: "2024-03-04T09:00:00Z");
            allocated["type"] = "CaseAllocated";
            allocated["data"] = new JsonObject { ["team"] = team, ["worker"] = "w1" };
            var response = await feed.PostAsync("/api/events", Body(new JsonArray(allocated, Contact(child, tenant: tenant, occurredAt: "2024-03-08T09:15:00Z"))));
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        await Runtime.CatchUpAsync();
        foreach (var role in Roles.All)
            Tokens[role] = await TestAccess.TokenAsync(App, BaseAddress, [role], ["A"], role == Roles.DutyManager ? ["T1"] : []);
    }

    public HttpClient As(string? role, bool page = false, bool followRedirects = true)
    {
        // .NET drops the Authorization header on a redirect: a redirect is followed here by hand, with the token
        var client = new HttpClient(new TokenKeepingRedirects(followRedirects)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (role is not null) client.WithToken(Tokens[role]);
        if (page) client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }
}

public sealed class AccessTests(AccessServer server) : IClassFixture<AccessServer>
{
    private const string Dm = Roles.DutyManager, Qa = Roles.QaLead, Bd = Roles.Board, Fd = Roles.Feed, Ad = Roles.Admin;

    /// <summary>Every route and page reading a council's data, with the roles that may read it (docs/security.md).</summary>
    public static readonly (string Path, bool Page, string[] Allowed)[] Routes =
    [
        ("/api/children/{t}/{c}", false, [Dm, Qa]),
        ("/api/children/{t}/{c}?asAt=2024-03-10T12:00", false, [Dm, Qa]),
        ("/api/children/{t}/{c}?reason=complaint%2017", false, [Dm, Qa, Ad]),
        ("/api/breaches?tenant={t}&team=T1", false, [Dm, Qa]),
        ("/breaches.csv?tenant={t}&team=T1", false, [Dm, Qa]),
        ("/api/clocks?tenant={t}", false, [Qa]),
        ("/api/scorecard?tenant={t}&month=2024-03", false, [Bd, Dm, Qa, Ad]),
        ("/api/scorecard/FD8/children?tenant={t}&month=2024-03", false, [Qa]),
        ("/api/audit?tenant={t}", false, [Qa, Ad]),
        ("/api/alerts/subscriptions?tenant={t}", false, [Dm]),
        ("/api/alerts/sent?tenant={t}", false, [Ad]),
        ("/breaches?tenant={t}&team=T1", true, [Dm, Qa]),
        ("/children/{t}/{c}", true, [Dm, Qa]),
        ("/children/{t}/{c}?asAt=2024-03-10T12:00", true, [Dm, Qa]),
        ("/children/{t}/{c}?reason=complaint%2017", true, [Dm, Qa, Ad]),
        ("/board?tenant={t}&month=2024-03", true, [Bd, Dm, Qa, Ad]),
    ];

    public static IEnumerable<object[]> Matrix() =>
        from route in Routes
        from role in Roles.All
        from own in new[] { true, false }
        select new object[] { route.Path, route.Page, role, own, route.Allowed.Contains(role) };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_reads_what_it_may_of_its_own_council_and_nothing_of_another(string path, bool page, string role, bool ownCouncil, bool allowed)
    {
        var url = path.Replace("{t}", ownCouncil ? "A" : "B").Replace("{c}", ownCouncil ? "CA1" : "CB1");
        using var client = server.As(role, page, followRedirects: false);
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        var expected = !ownCouncil ? HttpStatusCode.NotFound : allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
        // an administrator without a reason is asked for one (a person) or told the parameter (a program)
        var askedForReason = ownCouncil && role == Ad && path.StartsWith("/children/") && !allowed;
        if (askedForReason) expected = HttpStatusCode.Redirect;
        response.StatusCode.ShouldBe(expected, $"{role} {url}: {body[..Math.Min(300, body.Length)]}");
        if (askedForReason) { response.Headers.Location!.OriginalString.ShouldStartWith("/reason?returnUrl="); body.ShouldNotContain("ContactReceived"); }
        if (ownCouncil && role == Ad && path.StartsWith("/api/children/") && !allowed) body.ShouldContain("reason");
        // another council's answer is the plain 404 of a path that does not exist: none of its data
        // (the trace id, random letters and digits, may spell anything)
        var content = Regex.Replace(body, "\"traceId\":\"[^\"]*\"|trace id[^<]*", "");
        if (!ownCouncil) { content.ShouldNotContain("ContactReceived"); content.ShouldNotContain("T1", Case.Sensitive); }
    }

    [Theory]
    [MemberData(nameof(Anonymous))]
    public async Task Nothing_answers_with_council_data_without_sign_in(string path, bool page)
    {
        using var client = server.As(null, page);
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var raw = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        if (page) raw.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var response = await raw.GetAsync(path.Replace("{t}", "A").Replace("{c}", "CA1"));
        if (page)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Found);
            response.Headers.Location!.AbsolutePath.ShouldBe("/connect/authorize");
        }
        else
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("CA1");
    }

    public static IEnumerable<object[]> Anonymous() => Routes.Select(r => new object[] { r.Path, r.Page });

    [Fact]
    public async Task The_board_finds_no_child_identifier_in_anything_it_can_reach()
    {
        using var client = server.As(Bd);
        using var page = server.As(Bd, page: true);
        foreach (var (path, isPage, _) in Routes)
        {
            var url = path.Replace("{t}", "A").Replace("{c}", "CA1");
            var body = await (isPage ? page : client).GetStringAsyncOrBody(url);
            foreach (var child in new[] { "CA1", "CA2", "CB1" }) body.ShouldNotContain(child, customMessage: url);
        }
        (await client.GetStringAsync("/api/scorecard?tenant=A&month=2024-03")).ShouldContain("indicators");
    }

    [Fact]
    public async Task A_duty_manager_reads_the_lists_of_their_own_teams_only()
    {
        using var client = server.As(Dm);
        (await client.GetAsync("/api/breaches?tenant=A&team=T1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/breaches?tenant=A&team=T2")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/breaches?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_feed_sends_events_for_its_own_council_only_and_reads_nothing()
    {
        using var feed = server.As(Fd);
        var own = await feed.PostAsync("/api/events", Body(Contact("CA9", tenant: "A")));
        own.StatusCode.ShouldBe(HttpStatusCode.Created, await own.Content.ReadAsStringAsync());
        var other = await feed.PostAsync("/api/events", Body(new JsonArray(Contact("CA9", contactId: "K7", tenant: "A"), Contact("CB9", tenant: "B"))));
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.Content.ReadAsStringAsync()).ShouldContain("[1].tenant");
        (await server.Runtime.Store.ReadStreamAsync("A", "CA9")).Count.ShouldBe(1, "nothing of the refused batch was stored");
        (await server.Runtime.Store.ReadStreamAsync("B", "CB9")).Count.ShouldBe(0);
        (await feed.GetAsync("/api/breaches?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var qa = server.As(Qa);
        (await qa.PostAsync("/api/events", Body(Contact("CA8", tenant: "A")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_event_for_a_council_no_operator_configured_is_refused()
    {
        // a client listed in a council that no operator configured (e.g. removed from the list since)
        using var client = server.CreateAnonymousClient();
        var fresh = await TestAccess.AddClientAsync(new AccountStore(server.Runtime.DataSource), [Fd], ["A"]);
        await using (var cmd = server.Runtime.DataSource.CreateCommand("update accounts set councils = '{A,Z8}' where name = $1"))
        {
            cmd.Parameters.Add(new() { Value = fresh.Id });
            await cmd.ExecuteNonQueryAsync();
        }
        client.WithToken(await TestAccess.TokenAsync(server.BaseAddress, fresh.Id, fresh.Secret));
        var response = await client.PostAsync("/api/events", Body(Contact("CZ1", tenant: "Z8")));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("is not a configured council");

        // The server remembers the councils it found, never one it did not: once an operator adds it, it is taken.
        await new AccountStore(server.Runtime.DataSource).AddCouncilsAsync(["Z8"], "test");
        (await client.PostAsync("/api/events", Body(Contact("CZ1", tenant: "Z8")))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Tokens_expired_tampered_with_or_signed_elsewhere_are_refused()
    {
        var keys = server.App.Services.GetRequiredService<SharedKeys>();
        string Mint(SecurityKey key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = server.BaseAddress.AbsoluteUri,
            Audience = AccessOptions.EmbeddedAudience,
            NotBefore = expires.AddMinutes(-30),
            IssuedAt = expires.AddMinutes(-30),
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", "x"), new Claim("role", Qa), new Claim("council", "A")]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
        async Task<HttpStatusCode> With(string token)
        {
            using var client = server.CreateAnonymousClient().WithToken(token);
            return (await client.GetAsync("/api/breaches?tenant=A")).StatusCode;
        }
        (await With(Mint(keys.Signing, DateTime.UtcNow.AddMinutes(10)))).ShouldBe(HttpStatusCode.OK, "a token made with the server's own key is the control");
        (await With(Mint(keys.Signing, DateTime.UtcNow.AddMinutes(-5)))).ShouldBe(HttpStatusCode.Unauthorized, "expired");
        (await With(Mint(new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)), DateTime.UtcNow.AddMinutes(10)))).ShouldBe(HttpStatusCode.Unauthorized, "signed by another key");
        var real = server.Tokens[Qa];
        var parts = real.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["council"] = "B";
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
        (await With(tampered)).ShouldBe(HttpStatusCode.Unauthorized, "payload changed after signing");
        (await With(real)).ShouldBe(HttpStatusCode.OK);
        using var other = server.CreateAnonymousClient().WithToken(real);
        (await other.GetAsync("/api/breaches?tenant=B")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a good token of council A does not open council B");
    }

    [Fact]
    public async Task Client_credentials_are_refused_when_wrong_or_disabled()
    {
        var store = new AccountStore(server.Runtime.DataSource);
        var (id, secret) = await TestAccess.AddClientAsync(store, [Fd], ["A"]);
        (await TestAccess.RequestTokenAsync(server.BaseAddress, id, secret + "x")).IsSuccessStatusCode.ShouldBeFalse();
        (await TestAccess.RequestTokenAsync(server.BaseAddress, id, secret)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await store.DisableAsync(AccountKind.Client, id)).ShouldBeTrue();
        (await TestAccess.RequestTokenAsync(server.BaseAddress, id, secret)).IsSuccessStatusCode.ShouldBeFalse();
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var (name, password) = await TestAccess.AddUserAsync(new AccountStore(server.Runtime.DataSource), [Qa], ["A"]);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        async Task<(HttpStatusCode, string)> Attempt(string pass)
        {
            var form = await browser.GetStringAsync("/account/signin?returnUrl=%2F");
            var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var response = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["username"] = name, ["password"] = pass, ["returnUrl"] = "/",
            }));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        // without the antiforgery token the form is refused
        (await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = name, ["password"] = password })))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        for (var i = 0; i < AccountStore.MaxFailures - 1; i++) (await Attempt("wrong")).Item2.ShouldContain("not right");
        (await Attempt("wrong")).Item2.ShouldContain("locked");
        var (status, body) = await Attempt(password);
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("locked");
        (await new AccountStore(server.Runtime.DataSource).FindAsync(AccountKind.User, name))!.LockedUntil.ShouldNotBeNull();
    }

    [Fact]
    public async Task Every_kind_of_look_is_in_the_audit_and_a_feed_cannot_write_to_it()
    {
        var client = server.As(Qa);
        using var page = server.As(Qa, page: true);
        (await client.GetAsync("/api/children/A/CA2")).EnsureSuccessStatusCode();
        (await client.GetAsync("/api/children/A/CA2?asAt=2024-03-10T12:00")).EnsureSuccessStatusCode();
        (await page.GetAsync("/children/A/CA2")).EnsureSuccessStatusCode();
        (await client.GetAsync("/breaches.csv?tenant=A")).EnsureSuccessStatusCode();
        (await client.GetAsync("/api/clocks?tenant=A")).EnsureSuccessStatusCode();
        (await client.GetAsync("/api/scorecard/FD8/children?tenant=A&month=2024-03")).EnsureSuccessStatusCode();
        (await page.GetAsync("/breaches?tenant=A")).EnsureSuccessStatusCode();

        using var audit = JsonDocument.Parse(await client.GetStringAsync("/api/audit?tenant=A"));
        var rows = audit.RootElement.EnumerateArray().ToList();
        var who = new JwtSecurityTokenHandler().ReadJwtToken(server.Tokens[Qa]).Subject;
        var mine = rows.Where(r => r.GetProperty("who").GetString() == who).ToList();
        string What(JsonElement r) => r.GetProperty("what").GetString()!;
        mine.Where(r => r.GetProperty("child").GetString() == "CA2").Select(What).Where(w => w.StartsWith("child-record")).ShouldBe(["child-record (api)", "child-record (api)", "child-record (page)"], ignoreOrder: true);
        // a list is one row for the request (child *) and one for each child it showed, CSV rows included
        foreach (var list in new[] { "breach-list (csv)", "breach-list (page)", "clocks (api)" })
        {
            var children = mine.Where(r => What(r) == list).Select(r => r.GetProperty("child").GetString()).ToList();
            foreach (var child in new[] { "*", "CA1", "CA2" }) children.ShouldContain(child, customMessage: list);
        }
        mine.Single(r => r.GetProperty("child").GetString() == "CA2" && r.TryGetProperty("asAt", out var a) && a.ValueKind == JsonValueKind.String).GetProperty("asAt").GetString().ShouldBe("2024-03-10T12:00");
        mine.Select(What).ShouldContain("breach-list (csv)");
        mine.Select(What).ShouldContain("clocks (api)");
        mine.Select(What).ShouldContain("scorecard-drill-down (api)");
        mine.Select(What).ShouldContain("breach-list (page)");
        mine.ShouldAllBe(r => r.GetProperty("council").GetString() == "A");

        var before = rows.Count;
        using var feed = server.As(Fd);
        var forged = Contact("CA1", tenant: "A");
        forged["type"] = "ChildRecordViewed";
        (await feed.PostAsync("/api/events", Body(forged))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await feed.PostAsync("/api/audit?tenant=A", Body("[]"))).IsSuccessStatusCode.ShouldBeFalse();
        (await feed.GetAsync("/api/audit?tenant=A")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var after = JsonDocument.Parse(await client.GetStringAsync("/api/audit?tenant=A"));
        after.RootElement.GetArrayLength().ShouldBe(before, "a feed's attempts add nothing (the audit read itself is not a look at a child)");
    }

    [Fact]
    public async Task A_duty_manager_reads_only_children_allocated_to_their_own_teams()
    {
        using var client = server.As(Dm);
        (await client.GetAsync("/api/children/A/CA1")).StatusCode.ShouldBe(HttpStatusCode.OK, "CA1 is held by T1, the manager's team");
        var other = await client.GetAsync("/api/children/A/CA2");
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound, "CA2 is held by T2: the same answer as a child that does not exist");
        (await other.Content.ReadAsStringAsync()).ShouldNotContain("T2");
        using var page = server.As(Dm, page: true);
        (await page.GetAsync("/children/A/CA2?asAt=2024-03-10T12:00")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await page.GetAsync("/children/A/CA2/reason?rule=screening&episode=K1")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nor record a reason for another team's child");
        using var admin = server.As(Ad, page: true, followRedirects: false);
        (await admin.GetAsync("/children/A/CA2/reason?rule=screening&episode=K1&reason=x")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a stated reason opens reading, not recording");
        // the list page without a team opens on the manager's own, and offers only their teams and councils
        var list = await page.GetAsync("/breaches?tenant=A");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        list.RequestMessage!.RequestUri!.Query.ShouldContain("team=T1");
        var html = await list.Content.ReadAsStringAsync();
        html.ShouldNotContain(">T2<");
        html.ShouldNotContain(">B<");
    }

    [Fact]
    public async Task An_administrator_reads_a_child_only_with_a_stated_reason_which_the_audit_keeps()
    {
        using var client = server.As(Ad);
        var refused = await client.GetAsync("/api/children/A/CA2?reason=%20%20");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("reason:");
        (await client.GetAsync("/api/children/A/CA2?reason=" + new string('x', NeedToKnowRequirement.MaxReasonLength + 1))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/children/A/CA2?reason=Subject%20access%20request%2042")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/breaches?tenant=A&reason=x")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a reason opens one child's record, not the lists");

        // a person is asked, and comes back to the record with the reason
        using var page = server.As(Ad, page: true);
        var asked = await page.GetAsync("/children/A/CA2?asAt=2024-03-10T12:00");
        asked.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/reason");
        var blank = await page.GetAsync("/reason?returnUrl=" + Uri.EscapeDataString("/children/A/CA2?asAt=2024-03-10T12:00") + "&reason=");
        blank.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await blank.Content.ReadAsStringAsync()).ShouldContain("Enter why you need this record");
        var back = await page.GetAsync("/reason?returnUrl=" + Uri.EscapeDataString("/children/A/CA2?asAt=2024-03-10T12:00&reason=") + "&reason=Complaint%20C-9");
        back.StatusCode.ShouldBe(HttpStatusCode.OK);
        back.RequestMessage!.RequestUri!.PathAndQuery.ShouldBe("/children/A/CA2?asAt=2024-03-10T12%3A00&reason=Complaint%20C-9");
        (await page.GetAsync("/reason?returnUrl=" + Uri.EscapeDataString("https://evil.example/") + "&reason=x")).RequestMessage!.RequestUri!.Host.ShouldNotBe("evil.example");

        using var qa = server.As(Qa);
        var who = new JwtSecurityTokenHandler().ReadJwtToken(server.Tokens[Ad]).Subject;
        using var audit = JsonDocument.Parse(await qa.GetStringAsync($"/api/audit?tenant=A&child=CA2&who={Uri.EscapeDataString(who)}"));
        audit.RootElement.EnumerateArray().Where(r => r.GetProperty("what").GetString()!.StartsWith("child-record")).Select(r => r.GetProperty("reason").GetString())
            .ShouldBe(["Subject access request 42", "Complaint C-9"]);
    }

    [Fact]
    public async Task The_audit_is_read_and_exported_by_child_person_and_date()
    {
        using var qa = server.As(Qa);
        (await qa.GetAsync("/api/children/A/CA1")).EnsureSuccessStatusCode();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var who = new JwtSecurityTokenHandler().ReadJwtToken(server.Tokens[Qa]).Subject;
        var csv = await qa.GetStringAsync($"/api/audit?tenant=A&child=CA1&who={Uri.EscapeDataString(who)}&from={today}&to={today}&format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].TrimEnd('\r').ShouldBe(string.Join(",", AccessAudit.Columns));
        lines.Skip(1).ShouldAllBe(l => l.Contains(",CA1,"));
        lines.Length.ShouldBeGreaterThan(1);
        (await qa.GetStringAsync($"/api/audit?tenant=A&child=CA1&to=2020-01-01")).ShouldBe("[]");
        var bad = await qa.GetAsync("/api/audit?tenant=A&from=yesterday");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("from");
    }

    [Fact]
    public async Task Answers_are_not_cached_and_carry_the_careful_headers()
    {
        using var client = server.As(Qa);
        var response = await client.GetAsync("/api/children/A/CA1");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
    }

    [Fact]
    public async Task Another_host_name_is_refused_before_anything_is_read()
    {
        using var client = server.As(Qa);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/breaches?tenant=A");
        request.Headers.Host = "evil.example";
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("CA1");
    }
}

/// <summary>Follows a page's redirects (up to 5) keeping the request's headers, as a signed-in browser keeps its cookie.</summary>
internal sealed class TokenKeepingRedirects(bool follow) : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false })
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        for (var i = 0; follow && i < 5 && (int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location; i++)
        {
            var next = new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri!, location));
            foreach (var header in request.Headers) next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Dispose();
            request = next;
            response = await base.SendAsync(next, cancellationToken);
        }
        return response;
    }
}

internal static class HttpBodies
{
    /// <summary>The body whatever the status (a 403 has one too).</summary>
    public static async Task<string> GetStringAsyncOrBody(this HttpClient client, string url) =>
        await (await client.GetAsync(url)).Content.ReadAsStringAsync();
}
