using System.Text.Json;
using CasePathway.Testing;

namespace CasePathway.Host.Tests.Cli;

/// <summary>`import ssd` as a nightly job runs it, on the two-night sample, then the clocks as at each night.</summary>
[Collection(CliEnvironment.Name)]
public sealed class SsdImportCliTests : CliTestBase
{
    protected override string Now => "2026-03-04T10:00:00+00:00";

    private static string Night(int n) => Path.Combine(RepositoryPaths.Root, "samples", "ssd", $"night{n}");

    [Fact]
    public async Task Two_nights_then_the_clock_report_as_at_each_night()
    {
        var first = await Run("import", "ssd", Night(1), "--tenant", "ssd-cli", "--as-of", "2026-03-02T02:00:00+00:00", "--format", "json");
        var second = await Run("import", "ssd", Night(2), "--tenant", "ssd-cli", "--as-of", "2026-03-03T02:00:00+00:00");
        var again = await Run("import", "ssd", Night(2), "--tenant", "ssd-cli", "--as-of", "2026-03-03T02:00:00+00:00", "--format", "json");

        first.Exit.ShouldBe(0, first.Err);
        first.Err.ShouldBeEmpty();
        using (var summary = JsonDocument.Parse(first.Out))
        {
            summary.RootElement.GetProperty("eventsAppended").GetInt32().ShouldBe(26);
            summary.RootElement.GetProperty("rowsRejected").GetInt32().ShouldBe(4);
            var assessments = summary.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "ssd_cin_assessments");
            (assessments.GetProperty("rowsRead").GetInt32(), assessments.GetProperty("newEvents").GetInt32(), assessments.GetProperty("rejections").GetInt32()).ShouldBe((4, 5, 2));
            summary.RootElement.GetProperty("rejections").EnumerateArray()
                .ShouldContain(r => r.GetProperty("key").GetString() == "A9" && r.GetProperty("column").GetString() == "cina_referral_id");
        }
        second.Exit.ShouldBe(0, second.Err);
        second.Out.ShouldContain("corrections");
        second.Out.ShouldContain("ssd_initial_cp_conference");
        using (var summary = JsonDocument.Parse(again.Out))
            summary.RootElement.GetProperty("eventsAppended").GetInt32().ShouldBe(0);

        var night1 = await Run("report", "clocks", "--tenant", "ssd-cli", "--as-at", "2026-03-02T03:00+00:00", "--format", "csv");
        var night2 = await Run("report", "clocks", "--tenant", "ssd-cli", "--as-at", "2026-03-03T03:00+00:00", "--format", "csv");
        night1.Out.Split('\n').ShouldContain(l => l.StartsWith("ssd-cli,C2,icpc,S1,2026-01-14,2026-02-04,2026-02-03,met,"));
        night2.Out.Split('\n').ShouldContain(l => l.StartsWith("ssd-cli,C2,icpc,S1,2026-01-14,2026-02-04,2026-02-06,late,"));
        night1.Out.Split('\n').ShouldContain(l => l.StartsWith("ssd-cli,C1,assessment,R1,2026-01-05,2026-03-09,,running,"));
        night2.Out.Split('\n').ShouldContain(l => l.StartsWith("ssd-cli,C1,assessment,R1,2026-01-05,2026-03-09,2026-02-20,met,"));
        night2.Out.Split('\n').ShouldContain(l => l.StartsWith("ssd-cli,C1,referral-decision,R1,") && l.Contains(",not-measurable,"));
    }

    [Fact]
    public async Task A_second_run_for_a_council_whose_import_is_running_is_refused_naming_the_council()
    {
        // A run in progress for the council (its lock held on a connection of its own), as a nightly job started twice finds it.
        await using (await Db.EventStore.StartSourceImportAsync("ssd-busy", "ssd"))
        {
            var refused = await Run("import", "ssd", Night(1), "--tenant", "ssd-busy", "--as-of", "2026-03-02T02:00:00+00:00");

            refused.Exit.ShouldBe(1);
            refused.Err.ShouldContain("Another ssd import for council ssd-busy is running");
        }
        var after = await Run("import", "ssd", Night(1), "--tenant", "ssd-busy", "--as-of", "2026-03-02T02:00:00+00:00", "--format", "json");
        after.Exit.ShouldBe(0, after.Err);
        using var summary = JsonDocument.Parse(after.Out);
        summary.RootElement.GetProperty("eventsAppended").GetInt32().ShouldBe(26);
    }

    [Fact]
    public async Task A_folder_without_ssd_tables_or_an_as_of_in_the_future_is_refused_with_the_reason()
    {
        var empty = Path.Combine(Path.GetTempPath(), "cp-ssd-empty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(empty);
        try
        {
            var none = await Run("import", "ssd", empty, "--tenant", "ssd-cli");
            var future = await Run("import", "ssd", Night(1), "--tenant", "ssd-cli", "--as-of", "2026-03-05T10:00:00+00:00");

            none.Exit.ShouldBe(1);
            none.Err.ShouldContain("holds none of the SSD tables");
            future.Exit.ShouldBe(2);
            future.Err.ShouldContain("--as-of:");
            future.Err.ShouldContain("is in the future");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
