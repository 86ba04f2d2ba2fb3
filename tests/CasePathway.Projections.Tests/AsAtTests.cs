using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Features.LateRecordings;
using CasePathway.Projections.Tenants;
using CasePathway.Projections.Tests.Support;
using Shouldly;
using static CasePathway.Projections.Tests.Support.Pathways;

namespace CasePathway.Projections.Tests;

/// <summary>
/// A referral received Mon 3 Oct 2022 (decision due Tue 4 Oct); its decision was made Tue 4 Oct 09:00
/// but recorded only Thu 13 Oct 12:00 — seven working days late. Before 12:00 on the 13th every as-at
/// view shows the clock breached; from then on it shows it met.
/// </summary>
public class AsAtTests : IAsyncLifetime
{
    private const string T = "LA";
    private static readonly NodaTime.Instant Now = At("2022-10-20T09:00");
    private static readonly NodaTime.Instant BeforeRecording = At("2022-10-13T11:59");
    private static readonly NodaTime.Instant AtRecording = At("2022-10-13T12:00");
    private ProjectionDatabase _db = null!;
    private PathwayEvent _decision = null!;

    public async Task InitializeAsync()
    {
        _db = await ProjectionDatabase.CreateAsync();
        _decision = E(T, "C1", "2022-10-04T09:00", new ReferralDecisionMade("R1", ReferralOutcome.Assessment), recorded: "2022-10-13T12:00");
        await _db.Store.AppendAsync(
            E(T, "C1", "2022-10-03T09:00", new CaseAllocated("Team A", "ann")),
            E(T, "C1", "2022-10-03T10:00", new ReferralReceived("R1")));
        await _db.Store.AppendAsync(_decision);
        await _db.CatchUpAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<BreachList> Breaches(NodaTime.Instant? asAt) =>
        new BreachListQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(new BreachListRequest(T, asAt));

    private Task<IReadOnlyList<ClockView>> Report(NodaTime.Instant? asAt) =>
        new ClockReportQuery(_db.DataSource, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(T, asAt);

    private Task<ChildPathway?> Replay(NodaTime.Instant? asAt) =>
        new ChildReplayQuery(_db.Store, TenantDirectory.Empty, new FixedClock(Now)).GetAsync(T, "C1", asAt);

    [Theory]
    [InlineData("2022-10-05T09:00", 1)]
    [InlineData("2022-10-13T11:59", 7)]
    public async Task Before_the_late_recording_the_as_at_list_shows_the_clock_breached(string asAt, int overdueDays)
    {
        var list = await Breaches(At(asAt));
        list.IsAsAt.ShouldBeTrue();
        var row = list.Rows.ShouldHaveSingleItem();
        (row.Child, row.Rule, row.Status.Name(), row.Remaining).ShouldBe(("C1", "referral-decision", "breached", $"{overdueDays} working day{(overdueDays == 1 ? "" : "s")} overdue"));
    }

    [Fact]
    public async Task The_as_at_list_reads_the_versions_known_then_through_their_interval_index()
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("set enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand(
            $"explain select child from clock_versions where tenant = 'LA' and {BreachListQuery.KnownAt("'2022-10-13T11:59Z'")} " +
            "and stopped_on is null and cancelled_on is null and not not_measurable and overdue_from <= now()", connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        string.Join("\n", plan).ShouldContain("clock_versions_as_at");
    }

    [Theory]
    [InlineData("'Team A'", "clock_versions_open_team")]
    [InlineData("null", "clock_versions_open")]
    public async Task The_list_now_reads_the_open_versions_through_their_own_indexes(string team, string index)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        // A council's worth of open clocks in twenty teams (the planner chooses by the table's statistics).
        await using (var fill = new Npgsql.NpgsqlCommand(
            "insert into clock_versions select (jsonb_populate_record(c, jsonb_build_object('child', 'X' || g, 'team', 'Team ' || (g % 20), " +
            "'known_to', null, 'stopped_at', null, 'stopped_on', null, 'cancelled_at', null, 'cancelled_on', null, 'not_measurable', false))).* " +
            "from clock_versions c, generate_series(1, 5000) g; analyze clock_versions", connection))
            await fill.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand(
            "explain select child from clock_versions where tenant = 'LA' and known_to is null " +
            $"and stopped_on is null and cancelled_on is null and not not_measurable and overdue_from <= now() and ({team}::text is null or team = {team}) " +
            "order by overdue_from limit 50", connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        string.Join("\n", plan).ShouldContain($"using {index} on");
    }

    [Theory]
    [InlineData("known_to is null", "'Team 3'", "clock_versions_open_team")]
    [InlineData("known_to is null", "null", "clock_versions_open")]
    [InlineData("tstzrange(known_from, known_to) @> now() - interval '1 day'", "null", "clock_versions_as_at")]
    public async Task A_page_s_keys_and_the_list_s_counts_are_read_from_its_index_alone(string knowledge, string team, string index)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using (var fill = new Npgsql.NpgsqlCommand(
            // A council's history: one version in ten still open (known now), the rest superseded long ago.
            "insert into clock_versions select (jsonb_populate_record(c, jsonb_build_object('child', 'X' || g, 'team', 'Team ' || (g % 7), " +
            "'known_to', case when g % 10 = 0 then null else '2023-01-02T00:00:00Z' end, " +
            "'stopped_at', null, 'stopped_on', null, 'cancelled_at', null, 'cancelled_on', null, 'not_measurable', false))).* " +
            "from clock_versions c, generate_series(1, 20000) g", connection))
        {
            // Tens of thousands of rows through every index: on a loaded machine more than Npgsql's default 30 s.
            fill.CommandTimeout = 300;
            await fill.ExecuteNonQueryAsync();
        }
        // The visibility map, as a rebuild's frozen rows or autovacuum leave it: without it every entry is a table read anyway.
        await using (var vacuum = new Npgsql.NpgsqlCommand("vacuum analyze clock_versions", connection) { CommandTimeout = 300 }) await vacuum.ExecuteNonQueryAsync();
        var where = $"tenant = 'LA' and {knowledge} and stopped_on is null and cancelled_on is null and not not_measurable " +
                    $"and overdue_from <= now() and due_on <= current_date and ({team}::text is null or team = {team}) " +
                    "and (null::text is null or worker = null) and (null::text is null or rule = null)";
        // The statements BreachListQuery sends: the counts, and a deep page's keys (BreachListQuery.RowsSql), each
        // with the index expected; sorted by team, the team index's own order may serve any list "now".
        var list = index == "clock_versions_as_at" ? index : "clock_versions_open(_team)?";
        foreach (var (sql, expected) in new[]
                 {
                     ($"select rule, team, grouping(rule) as by_team, count(*) from clock_versions where {where} group by grouping sets ((rule), (team))", index),
                     ($"select tenant, child, rule, episode, known_from from clock_versions where {where} order by overdue_from desc, child, rule, episode limit 50 offset 500", index),
                     ($"select tenant, child, rule, episode, known_from from clock_versions where {where} order by team, overdue_from, child, rule, episode limit 50 offset 500", list),
                 })
        {
            await using var explain = new Npgsql.NpgsqlCommand($"explain {sql}", connection);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            string.Join("\n", plan).ShouldMatch($@"Index Only Scan (Backward )?using {expected} on", customMessage: sql + "\n" + string.Join("\n", plan));
        }
    }

    [Fact]
    public async Task From_the_recording_instant_on_the_as_at_list_and_the_live_list_no_longer_show_it()
    {
        (await Breaches(AtRecording)).Rows.ShouldBeEmpty();
        (await Breaches(null)).Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task Before_any_event_was_recorded_there_is_nothing()
    {
        (await Breaches(At("2022-10-03T09:30"))).Rows.ShouldBeEmpty();
        (await Report(At("2022-10-03T09:30"))).ShouldBeEmpty();
        (await Replay(At("2022-10-03T09:30")))!.Clocks.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_clock_report_as_at_follows_the_recording_time()
    {
        var before = (await Report(BeforeRecording)).Single(c => c.Rule == "referral-decision");
        (before.Status.Name(), before.Stopped, before.Elapsed).ShouldBe(("breached", null, 8m));
        var after = (await Report(AtRecording)).Single(c => c.Rule == "referral-decision");
        (after.Status.Name(), after.Stopped, after.Elapsed).ShouldBe(("met", "2022-10-04", 1m));
        (await Report(null)).Single(c => c.Rule == "referral-decision").Status.ShouldBe(ClockStatus.Met);
    }

    [Fact]
    public async Task The_replay_as_at_shows_the_clock_breached_and_lists_the_decision_as_recorded_later_with_its_lateness()
    {
        var replay = (await Replay(BeforeRecording))!;
        replay.IsAsAt.ShouldBeTrue();
        replay.Clocks.Single(c => c.Rule == "referral-decision").Status.ShouldBe(ClockStatus.Breached);
        replay.Timeline.Select(e => e.Type).ShouldBe(["CaseAllocated", "ReferralReceived"]);
        var later = replay.RecordedLater.ShouldHaveSingleItem();
        later.Id.ShouldBe(_decision.Id);
        later.RecordedLateByWorkingDays.ShouldBe(7);

        var after = (await Replay(AtRecording))!;
        after.Clocks.Single(c => c.Rule == "referral-decision").Status.ShouldBe(ClockStatus.Met);
        after.RecordedLater.ShouldBeEmpty();
        after.Timeline.Single(e => e.Type == "ReferralDecisionMade").RecordedLateByWorkingDays.ShouldBe(7);
    }

    [Fact]
    public async Task The_stored_timeline_and_the_late_recording_report_carry_the_lateness()
    {
        (await _db.ScalarAsync($"select late_working_days from child_timeline where event_id = '{_decision.Id}'")).ShouldBe(7);
        var late = await new LateRecordingsQuery(_db.DataSource).GetAsync(T, 2);
        var teamA = late.ShouldHaveSingleItem();
        (teamA.Team, teamA.Events, teamA.Late, teamA.WorstLateWorkingDays).ShouldBe(("Team A", 3L, 1L, 7L));
    }

    [Fact]
    public async Task The_projection_keeps_one_version_per_knowledge_change_not_per_event()
    {
        // Two knowledge instants for the referral clock: received (open), decision recorded (met).
        var rows = await _db.RowsAsync("select known_from, known_to, stopped_on from clock_versions where rule = 'referral-decision' order by known_from");
        rows.Count.ShouldBe(2);
    }
}
