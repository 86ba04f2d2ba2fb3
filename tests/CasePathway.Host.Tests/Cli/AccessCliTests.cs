using System.Text.Json;
using CasePathway.Host.Security;
using Npgsql;

namespace CasePathway.Host.Tests.Cli;

/// <summary>The operator's account commands against a fresh database: add, list, disable, and what each refuses.</summary>
[Collection(CliEnvironment.Name)]
public sealed class AccessCliTests : CliTestBase
{
    [Fact]
    public async Task Users_and_clients_are_added_listed_and_disabled_and_their_secrets_shown_once()
    {
        var user = await Run("users", "add", "amy.lead", "--tenant", "LA1", "--tenant", "LA2", "--role", "qa-lead");
        user.Exit.ShouldBe(0, user.Err);
        var password = user.Out.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();
        password.Length.ShouldBeGreaterThanOrEqualTo(12);

        var client = await Run("clients", "add", "lcs-feed", "--tenant", "LA1", "--role", "feed", "--format", "json");
        client.Exit.ShouldBe(0, client.Err);
        using var secret = JsonDocument.Parse(client.Out);
        secret.RootElement.GetProperty("clientId").GetString().ShouldBe("lcs-feed");
        var clientSecret = secret.RootElement.GetProperty("clientSecret").GetString()!;

        await using var dataSource = NpgsqlDataSource.Create(Db.ConnectionString);
        var store = new AccountStore(dataSource);
        (await store.CheckAsync(AccountKind.User, "amy.lead", password)).Item1.ShouldBe(SignInCheck.Succeeded, "the printed password is the account's");
        (await store.CheckAsync(AccountKind.Client, "lcs-feed", clientSecret)).Item1.ShouldBe(SignInCheck.Succeeded);
        var councils = await Run("councils", "list");
        councils.Out.ShouldContain("LA1");
        councils.Out.ShouldContain("LA2");

        var list = await Run("users", "list", "--format", "json");
        using (var users = JsonDocument.Parse(list.Out))
        {
            var amy = users.RootElement.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "amy.lead");
            amy.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["qa-lead"]);
            amy.GetProperty("councils").EnumerateArray().Select(r => r.GetString()).ShouldBe(["LA1", "LA2"]);
            amy.GetProperty("disabled").GetBoolean().ShouldBeFalse();
        }
        list.Out.ShouldNotContain(password, customMessage: "a password is shown once, when made");
        (await Run("clients", "list")).Out.ShouldNotContain(clientSecret);

        (await Run("users", "disable", "amy.lead")).Exit.ShouldBe(0);
        (await store.CheckAsync(AccountKind.User, "amy.lead", password)).Item1.ShouldBe(SignInCheck.Disabled);
        (await Run("users", "list")).Out.ShouldContain("yes");
    }

    [Theory]
    [InlineData("users add amy --tenant LA1 --role wizard", "role")]
    [InlineData("users add amy --tenant <script> --role qa-lead", "tenant")]
    [InlineData("users disable nobody", "NAME")]
    [InlineData("audit --tenant LA1 --from yesterday", "--from")]
    [InlineData("audit --tenant LA1 --from 2026-03-02 --to 2026-03-01", "--to")]
    public async Task A_bad_account_command_names_its_problem_and_changes_nothing(string command, string named)
    {
        var result = await Run(command.Split(' '));
        result.Exit.ShouldNotBe(0);
        result.Err.ShouldContain(named);
        (await Run("users", "list", "--format", "json")).Out.ShouldNotContain("\"amy\"");
    }

    [Fact]
    public async Task A_user_added_twice_is_refused_the_second_time()
    {
        (await Run("users", "add", "bob", "--tenant", "LA1", "--role", "board")).Exit.ShouldBe(0);
        var again = await Run("users", "add", "bob", "--tenant", "LA1", "--role", "admin");
        again.Exit.ShouldNotBe(0);
        again.Err.ShouldContain("already exists");
    }
}
