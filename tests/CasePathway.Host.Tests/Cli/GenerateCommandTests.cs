using CasePathway.Domain.Events;
using Shouldly;

namespace CasePathway.Host.Tests.Cli;

/// <summary><c>generate</c>: the same arguments give the same file; the file is the contract's; the store gets what the file holds.</summary>
[Collection(CliEnvironment.Name)]
public class GenerateCommandTests : CliTestBase
{
    protected override string Now => "2026-11-02T12:00:00Z";

    [Fact]
    public async Task The_same_arguments_give_the_same_events_and_every_line_is_a_contract_envelope_the_import_takes()
    {
        var first = Path.GetTempFileName();
        var second = Path.GetTempFileName();
        try
        {
            var run = await Run("generate", "--councils", "2", "--children", "300", "--years", "1", "--seed", "5", "--out", first);
            run.Err.ShouldBeEmpty();
            run.Exit.ShouldBe(0);
            run.Out.ShouldContain("gen001");
            run.Out.ShouldContain("gen002");
            (await Run("generate", "--councils", "2", "--children", "300", "--years", "1", "--seed", "5", "--out", second)).Exit.ShouldBe(0);
            (await File.ReadAllTextAsync(second)).ShouldBe(await File.ReadAllTextAsync(first));

            var events = (await File.ReadAllLinesAsync(first)).Select(line => EventJson.Parse(line).Value!).ToList();
            events.Select(e => e.Tenant).Distinct().Order().ShouldBe(["gen001", "gen002"]);
            // A child whose first contact would fall after now has no events yet.
            events.Select(e => (e.Tenant, e.Child)).Distinct().Count().ShouldBeInRange(580, 600);
            // Shaped like a front door: fewer referrals than contacts, fewer conferences than enquiries.
            var contacts = events.Count(e => e.Data is ContactReceived);
            var referrals = events.Count(e => e.Data is ReferralReceived);
            var enquiries = events.Count(e => e.Data is Section47Started);
            var conferences = events.Count(e => e.Data is InitialChildProtectionConferenceHeld);
            referrals.ShouldBeInRange(contacts / 10, contacts / 4);
            conferences.ShouldBeLessThan(enquiries);
            events.ShouldContain(e => e.Data is EventRetracted || e.RecordedAt > e.OccurredAt.Instant + NodaTime.Duration.FromDays(2));

            var import = await Run("import", "events", first, "--format", "json");
            import.Exit.ShouldBe(0);
            import.Out.ShouldContain($"\"eventsAppended\": {events.Count}");
            import.Out.ShouldContain("\"rowsRejected\": 0");
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    [Fact]
    public async Task Straight_into_the_store_and_a_second_run_appends_nothing_new()
    {
        (await Run("generate", "--councils", "1", "--children", "200", "--seed", "9")).Exit.ShouldBe(0);
        var stored = await CountEventsAsync();
        stored.ShouldBeGreaterThan(200);
        (await Run("generate", "--councils", "1", "--children", "200", "--seed", "9")).Exit.ShouldBe(0);
        (await CountEventsAsync()).ShouldBe(stored);
        var breaches = await Run("breaches", "--tenant", "gen001", "--format", "csv");
        breaches.Exit.ShouldBe(0);
        breaches.Out.ShouldContain("breached");
    }

    private async Task<long> CountEventsAsync()
    {
        await using var cmd = Db.DataSource.CreateCommand($"select count(*) from {CasePathway.Store.Marten.EventStoreOptions.SchemaName}.mt_events");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("--councils", "0", "--councils: must be from 1 to 999")]
    [InlineData("--children", "0", "--children: must be from 1 to 10000000")]
    [InlineData("--years", "21", "--years: must be from 1 to 20")]
    public async Task Sizes_out_of_range_are_usage_errors_naming_the_option(string option, string value, string message)
    {
        var (exit, _, error) = await Run("generate", option, value, "--out", "/tmp/never-written.jsonl");
        exit.ShouldBe(2);
        error.ShouldContain(message);
    }
}
