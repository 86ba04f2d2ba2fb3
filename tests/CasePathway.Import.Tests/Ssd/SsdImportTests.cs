using CasePathway.Import;
using CasePathway.Domain.Clocks;
using CasePathway.Import.Ssd;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Projections.Tenants;
using CasePathway.Store;
using CasePathway.Store.Marten;
using CasePathway.Store.Schema;
using CasePathway.Testing;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Import.Tests.Ssd;

/// <summary>
/// The SSD nightly import against a real database, with the two-night sample in samples/ssd (its README
/// lists what night 2 changes). Clocks are read as the replay reads them, as at each night.
/// </summary>
public class SsdImportTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly Instant Night1 = Instant.FromUtc(2026, 3, 2, 2, 0);
    private static readonly Instant Night2 = Instant.FromUtc(2026, 3, 3, 2, 0);

    private static string Sample(int night) => Path.Combine(RepositoryPaths.Root, "samples", "ssd", $"night{night}");

    private Task<SsdSummary> Import(string tenant, string folder, Instant asOf, VanishedRows vanished = VanishedRows.Retract, int batch = 5_000,
        int chunk = 2_000, Func<string, Func<Task>, Task>? stage = null) =>
        new SsdImporter(db.Appender(), db.EventStore).ImportAsync(folder, new SsdOptions(tenant, asOf, vanished) { BatchEvents = batch, ChunkRows = chunk }, stage);

    private Task<SsdSummary> Night(string tenant, int night, VanishedRows vanished = VanishedRows.Retract) =>
        Import(tenant, Sample(night), night == 1 ? Night1 : Night2, vanished);

    private async Task<ClockView> Clock(string tenant, string child, string rule, string episode, Instant asAt)
    {
        var pathway = await new ChildReplayQuery(db.EventStore, TenantDirectory.Empty, SystemClock.Instance).GetAsync(tenant, child, asAt + Duration.FromHours(1));
        var clocks = pathway.ShouldNotBeNull().Clocks;
        return clocks.SingleOrDefault(c => c.Rule == rule && c.Episode == episode)
            ?? throw new ShouldAssertException($"no {rule} {episode} for {child}: " + string.Join("; ", clocks.Select(c => $"{c.Rule} {c.Episode} {c.Status}")));
    }

    private async Task<bool> HasClock(string tenant, string child, string rule, string episode, Instant asAt)
    {
        var pathway = await new ChildReplayQuery(db.EventStore, TenantDirectory.Empty, SystemClock.Instance).GetAsync(tenant, child, asAt + Duration.FromHours(1));
        return pathway!.Clocks.Any(c => c.Rule == rule && c.Episode == episode);
    }

    /// <summary>Every live event the feed left, as "sourceKey type occurredAt data", sorted.</summary>
    private async Task<List<string>> LiveEvents(string tenant)
    {
        var all = new List<SourcedEvent>();
        await foreach (var e in db.EventStore.ReadSourceAsync(tenant, SsdImporter.SourceSystem)) all.Add(e);
        var retracted = all.Select(e => e.Data).OfType<Domain.Events.EventRetracted>().Select(r => r.RetractedId).ToHashSet();
        var lines = new List<string>();
        foreach (var child in all.Select(e => e.Child).Distinct())
            foreach (var e in await db.EventStore.ReadStreamAsync(tenant, child))
                if (e.Type != "EventRetracted" && !retracted.Contains(e.Id))
                    lines.Add($"{e.SourceKey} {e.Type} {e.OccurredAt} {e.DataJson}");
        return lines.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Each_table_maps_to_its_events_linked_by_the_ssds_own_ids()
    {
        var summary = await Night("map", 1);

        summary.EventsAppended.ShouldBe(26);
        (await LiveEvents("map")).ShouldBe([
            """ssd_cin_assessments/A1/allocation CaseAllocated 2026-01-06 {"team":"Assessment Team","worker":"W2"}""",
            """ssd_cin_assessments/A1/start AssessmentStarted 2026-01-06 {"assessmentId":"A1","referralId":"R1"}""",
            """ssd_cin_assessments/A3/allocation CaseAllocated 2026-02-02 {"team":"Assessment Team","worker":"W4"}""",
            """ssd_cin_assessments/A3/auth AssessmentAuthorised 2026-02-10 {"assessmentId":"A3","outcome":"services"}""",
            """ssd_cin_assessments/A3/start AssessmentStarted 2026-02-02 {"assessmentId":"A3","referralId":"R3"}""",
            """ssd_cin_episodes/R1/allocation CaseAllocated 2026-01-05 {"team":"Duty A","worker":"W1"}""",
            """ssd_cin_episodes/R1/referral ReferralReceived 2026-01-05 {"referralId":"R1","source":"1A"}""",
            """ssd_cin_episodes/R2/allocation CaseAllocated 2026-01-12 {"team":"Duty B","worker":"W3"}""",
            """ssd_cin_episodes/R2/referral ReferralReceived 2026-01-12 {"referralId":"R2","source":"1A"}""",
            """ssd_cin_episodes/R3/allocation CaseAllocated 2026-02-02 {"team":"Duty A","worker":"W1"}""",
            """ssd_cin_episodes/R3/referral ReferralReceived 2026-02-02 {"referralId":"R3","source":"3C"}""",
            """ssd_cin_plans/CP1/allocation CaseAllocated 2026-02-12 {"team":"CIN Team","worker":"W6"}""",
            """ssd_cin_plans/CP1/start ChildInNeedPlanStarted 2026-02-12 {"cinPlanId":"CP1"}""",
            """ssd_cla_episodes/E1/became_looked_after BecameLookedAfter 2026-01-20 {"periodId":"LA1"}""",
            """ssd_cla_reviews/RV1/review LookedAfterReviewHeld 2026-02-05 {"periodId":"LA1"}""",
            """ssd_contacts/K1/contact ContactReceived 2026-01-05T09:30:00+00:00 {"contactId":"K1","route":"unknown","source":"police"}""",
            """ssd_early_help_episodes/EH1/allocation CaseAllocated 2026-02-01 {"worker":"EHW1"}""",
            """ssd_early_help_episodes/EH1/start EarlyHelpConsentGiven 2026-02-01 {"earlyHelpId":"EH1"}""",
            """ssd_initial_cp_conference/I1/conference InitialChildProtectionConferenceHeld 2026-02-03 {"s47Id":"S1","planId":"P1"}""",
            """ssd_involvements/V1/allocation CaseAllocated 2026-02-10 {"team":"Missing Team","worker":"W9"}""",
            """ssd_involvements/V2/allocation CaseAllocated 2026-01-07 {"team":"Assessment Team","worker":"W2"}""",
            """ssd_missing/M1/missing ChildWentMissing 2026-02-10T22:00:00+00:00 {"missingId":"M1"}""",
            """ssd_missing/M1/returned ChildReturned 2026-02-11T08:00:00+00:00 {"missingId":"M1"}""",
            """ssd_s47_enquiry/S1/allocation CaseAllocated 2026-01-14 {"team":"CP Team","worker":"W5"}""",
            """ssd_s47_enquiry/S1/end Section47Completed 2026-01-30 {"s47Id":"S1","icpcRequired":true}""",
            """ssd_s47_enquiry/S1/start Section47Started 2026-01-14 {"s47Id":"S1"}""",
        ]);
    }

    [Fact]
    public async Task Rejected_rows_name_table_key_column_and_reason_and_the_rest_is_imported()
    {
        var summary = await Night("reject", 1);

        summary.Rejections.Select(r => (r.Table, r.Key, r.Column)).ShouldBe([
            ("ssd_contacts", "K9", "cont_contact_date"),
            ("ssd_contacts", "K8", "cont_contact_outcome_json"),
            ("ssd_cin_assessments", "A9", "cina_referral_id"),
            ("ssd_cin_assessments", "A8", "cina_assessment_auth_date"),
        ]);
        summary.Rejections[0].Reason.ShouldContain("'2026-13-01' is not a date");
        summary.Rejections[1].Reason.ShouldContain("'maybe' is not a flag");
        summary.Rejections[2].Reason.ShouldContain("referral 'R99' is in no snapshot");
        summary.Rejections[3].Reason.ShouldContain("authorised 2026-02-04, before the assessment started (2026-02-05)");
        summary.RowsRejected.ShouldBe(4);
        summary.Table("ssd_contacts").RowsRead.ShouldBe(3);
        summary.Table("ssd_contacts").NewEvents.ShouldBe(1);
    }

    [Fact]
    public async Task Two_nights_give_each_kind_of_change_and_the_clocks_as_at_each_night()
    {
        const string tenant = "two-nights";
        await Night(tenant, 1);
        var second = await Night(tenant, 2);

        // A1 authorised overnight: one new event. A3 vanished: its start, allocation and authorisation retracted.
        second.Table("ssd_cin_assessments").NewEvents.ShouldBe(1);
        second.Table("ssd_cin_assessments").Retractions.ShouldBe(3);
        // I1's conference date corrected from 3 to 6 Feb: the old event retracted, the corrected one appended.
        second.Table("ssd_initial_cp_conference").Corrections.ShouldBe(1);
        // A new contact.
        second.Table("ssd_contacts").NewEvents.ShouldBe(1);
        second.Table("ssd_cin_episodes").Unchanged.ShouldBe(3);
        second.EventsAppended.ShouldBe(1 + 3 + 2 + 1);

        // Referral 5 Jan + 45 working days = 9 Mar: running on night 1, met by the authorisation of 20 Feb on night 2.
        (await Clock(tenant, "C1", "assessment", "R1", Night1)).Status.Name().ShouldBe("running");
        var met = await Clock(tenant, "C1", "assessment", "R1", Night2);
        (met.Due, met.Stopped, met.Status.Name()).ShouldBe(("2026-03-09", "2026-02-20", "met"));
        // S47 14 Jan + 15 working days = 4 Feb: met on 3 Feb as known on night 1; late (6 Feb) once corrected.
        var icpc1 = await Clock(tenant, "C2", "icpc", "S1", Night1);
        (icpc1.Due, icpc1.Stopped, icpc1.Status.Name()).ShouldBe(("2026-02-04", "2026-02-03", "met"));
        var icpc2 = await Clock(tenant, "C2", "icpc", "S1", Night2);
        (icpc2.Due, icpc2.Stopped, icpc2.Status.Name()).ShouldBe(("2026-02-04", "2026-02-06", "late"));
        // A3 was there on night 1 and is gone as at night 2.
        (await Clock(tenant, "C3", "assessment-duration", "A3", Night1)).Status.Name().ShouldBe("met");
        (await HasClock(tenant, "C3", "assessment-duration", "A3", Night2)).ShouldBeFalse();
        (await Clock(tenant, "C3", "assessment", "R3", Night2)).Status.Name().ShouldBe("running");
        // What the SSD cannot stop claims nothing.
        (await Clock(tenant, "C1", "referral-decision", "R1", Night2)).Status.Name().ShouldBe("not-measurable");
        (await Clock(tenant, "C1", "mash-screening", "K1", Night2)).Status.Name().ShouldBe("not-measurable");
        (await Clock(tenant, "C3", "cin-review", "CP1#1", Night2)).Status.Name().ShouldBe("not-measurable");
        (await Clock(tenant, "C4", "return-interview", "M1", Night2)).Status.Name().ShouldBe("not-measurable");
        // Allocation from the records' own team and worker fields and from ssd_involvements.
        var c4 = await new ChildReplayQuery(db.EventStore, TenantDirectory.Empty, SystemClock.Instance).GetAsync(tenant, "C4", Night2);
        (c4!.Team, c4.Worker).ShouldBe(("Missing Team", "W9"));
    }

    [Fact]
    public async Task The_same_night_twice_appends_nothing()
    {
        const string tenant = "twice";
        await Night(tenant, 1);
        var again = await Night(tenant, 1);
        await Night(tenant, 2);
        var night2Again = await Night(tenant, 2);

        foreach (var summary in new[] { again, night2Again })
        {
            summary.EventsAppended.ShouldBe(0);
            summary.Tables.Sum(t => t.NewEvents + t.Corrections + t.Retractions).ShouldBe(0);
            summary.Tables.Sum(t => t.Unchanged).ShouldBe(summary.RowsRead - summary.RowsRejected);
        }
    }

    [Fact]
    public async Task A_value_corrected_back_brings_the_first_event_back()
    {
        const string tenant = "back-again";
        await Night(tenant, 1);
        await Night(tenant, 2);
        var third = await Import(tenant, Sample(1), Night2 + Duration.FromDays(1));

        third.Table("ssd_initial_cp_conference").Corrections.ShouldBe(1);
        var icpc = await Clock(tenant, "C2", "icpc", "S1", Night2 + Duration.FromDays(1));
        (icpc.Stopped, icpc.Status.Name()).ShouldBe(("2026-02-03", "met"));
        // A1's authorisation is blank again: retracted. A3 is back: its three events return.
        third.Table("ssd_cin_assessments").Retractions.ShouldBe(1);
        third.Table("ssd_cin_assessments").Corrections.ShouldBe(3);
        (await Clock(tenant, "C3", "assessment-duration", "A3", Night2 + Duration.FromDays(1))).Status.Name().ShouldBe("met");
        (await Import(tenant, Sample(1), Night2 + Duration.FromDays(1))).EventsAppended.ShouldBe(0);
    }

    private async Task<long> TrackedRows(string tenant)
    {
        await using var run = (SourceImportRun)await db.EventStore.StartSourceImportAsync(tenant, SsdImporter.SourceSystem);
        return await run.TrackedRowsAsync();
    }

    [Fact]
    public async Task A_vanished_row_is_looked_at_once_more_then_no_longer_until_it_comes_back()
    {
        const string tenant = "forgotten";
        await Night(tenant, 1);
        var tracked1 = await TrackedRows(tenant);
        await Night(tenant, 2);
        // A3 is retracted tonight: still tracked, beside night 2's new contact.
        (await TrackedRows(tenant)).ShouldBe(tracked1 + 1);

        // The next night finds nothing of A3 live and stops tracking it: later nights read the rows that vanished
        // since the last one, not every row that ever vanished.
        var again = await Night(tenant, 2);
        again.EventsAppended.ShouldBe(0);
        (await TrackedRows(tenant)).ShouldBe(tracked1);
        (await Night(tenant, 2)).EventsAppended.ShouldBe(0);

        // Back in a snapshot, it is compared with its events again: the retractions are retracted.
        var back = await Import(tenant, Sample(1), Night2 + Duration.FromDays(1));
        back.Table("ssd_cin_assessments").Corrections.ShouldBe(3);
        (await Clock(tenant, "C3", "assessment-duration", "A3", Night2 + Duration.FromDays(1))).Status.Name().ShouldBe("met");
    }

    [Fact]
    public async Task A_database_from_before_row_tracking_finds_its_vanished_rows_from_the_stored_events()
    {
        const string tenant = "from-before";
        await Night(tenant, 1);
        // As a database whose night 1 ran before migration 0016: nothing tracked, then the migration fills it.
        await using (var clear = db.DataSource.CreateCommand($"delete from source_rows where tenant_id = '{tenant}'"))
            await clear.ExecuteNonQueryAsync();
        (await TrackedRows(tenant)).ShouldBe(0);
        await using (var migrate = db.DataSource.CreateCommand(SchemaMigrator.Embedded.Single(m => m.Version == 16).Sql))
            await migrate.ExecuteNonQueryAsync();

        var second = await Night(tenant, 2);

        second.Table("ssd_cin_assessments").Retractions.ShouldBe(3);
        (await HasClock(tenant, "C3", "assessment-duration", "A3", Night2)).ShouldBeFalse();
    }

    [Fact]
    public async Task Vanished_rows_can_be_kept_with_a_warning()
    {
        const string tenant = "keep";
        await Night(tenant, 1);
        var second = await Night(tenant, 2, VanishedRows.Keep);

        second.Table("ssd_cin_assessments").Retractions.ShouldBe(0);
        second.Table("ssd_cin_assessments").VanishedKept.ShouldBe(1);
        second.Warnings.ShouldContain(w => w.Table == "ssd_cin_assessments" && w.Key == "A3" && w.Message.Contains("kept"));
        (await Clock(tenant, "C3", "assessment-duration", "A3", Night2)).Status.Name().ShouldBe("met");
    }

    [Fact]
    public async Task A_table_missing_from_a_snapshot_leaves_its_rows_alone()
    {
        const string tenant = "missing-table";
        await Night(tenant, 1);
        using var folder = new TempFolder();
        foreach (var f in Directory.GetFiles(Sample(1)).Where(f => !f.EndsWith("ssd_cin_assessments.csv")))
            File.Copy(f, Path.Combine(folder.Path, Path.GetFileName(f)));

        var second = await Import(tenant, folder.Path, Night2);

        second.EventsAppended.ShouldBe(0);
        second.Table("ssd_cin_assessments").Present.ShouldBeFalse();
        second.Warnings.ShouldContain(w => w.Table == "ssd_cin_assessments" && w.Message.Contains("not in this snapshot"));
    }

    [Fact]
    public async Task Headers_are_matched_whatever_their_case_and_a_missing_key_column_stores_nothing()
    {
        using var folder = new TempFolder();
        folder.Write("SSD_Contacts.csv", "CONT_CONTACT_ID,Cont_Person_Id,cont_contact_date,extra\nK1,C1,2026-01-05,x\n");
        folder.Write("ssd_cin_episodes.csv", "cine_person_id,cine_referral_date\nC1,2026-01-05\n");

        var error = await Should.ThrowAsync<ImportFileException>(() => Import("headers", folder.Path, Night1));
        error.Message.ShouldContain("ssd_cin_episodes.csv has no column cine_referral_id");
        (await LiveEvents("headers")).ShouldBeEmpty();

        File.Delete(Path.Combine(folder.Path, "ssd_cin_episodes.csv"));
        var summary = await Import("headers", folder.Path, Night1);
        summary.Table("ssd_contacts").NewEvents.ShouldBe(1);
    }

    [Fact]
    public async Task A_date_after_the_snapshot_and_a_team_beyond_the_door_limits_reject_their_rows()
    {
        using var folder = new TempFolder();
        folder.Write("ssd_cin_episodes.csv",
            "cine_referral_id,cine_person_id,cine_referral_date,cine_referral_team\n" +
            "R1,C1,2026-03-05,\n" +
            $"R2,C2,2026-01-05,{new string('t', 1001)}\n" +
            "R3,C/3,2026-01-05,\n");

        var summary = await Import("door", folder.Path, Night1);

        summary.Rejections.Select(r => (r.Key, r.Column)).ShouldBe([("R1", "cine_referral_date"), ("R2", "cine_referral_team"), ("R3", "cine_person_id")]);
        summary.Rejections[0].Reason.ShouldContain("after the snapshot");
        summary.EventsAppended.ShouldBe(0);
    }

    [Fact]
    public async Task A_synthetic_snapshot_of_2000_children_imports_night_by_night_in_batches()
    {
        const string tenant = "synthetic";
        const int children = 2_000;
        using var folder = new TempFolder();
        var night1 = Path.Combine(folder.Path, "night1");
        var night2 = Path.Combine(folder.Path, "night2");
        SsdSnapshots.Write(night1, children, 1);
        SsdSnapshots.Write(night2, children, 2);
        var asOf1 = InstantPattern.ExtendedIso.Parse(SsdSnapshots.Night1AsOf.Replace("+00:00", "Z")).Value;
        var asOf2 = InstantPattern.ExtendedIso.Parse(SsdSnapshots.Night2AsOf.Replace("+00:00", "Z")).Value;

        // Chunks of 300 rows: a row's keys straddle the pages of the vanished rows' sweep too.
        var first = await Import(tenant, night1, asOf1, batch: 1_000, chunk: 300);
        var second = await Import(tenant, night2, asOf2, batch: 1_000, chunk: 300);
        var again = await Import(tenant, night2, asOf2, batch: 1_000, chunk: 300);

        first.RowsRejected.ShouldBe(0);
        first.Table("ssd_cin_episodes").NewEvents.ShouldBe(2 * children);
        var (authorised, corrected, vanished) = SsdSnapshots.Night2Changes(children);
        second.RowsRejected.ShouldBe(0);
        second.Table("ssd_cin_assessments").NewEvents.ShouldBe(authorised);
        // The referral and its allocation are both dated by the corrected referral date.
        second.Table("ssd_cin_episodes").Corrections.ShouldBe(2 * corrected);
        second.Table("ssd_contacts").Retractions.ShouldBe(vanished);
        second.Table("ssd_involvements").Unchanged.ShouldBe(children);
        second.EventsAppended.ShouldBe(authorised + 2 * 2 * corrected + vanished);
        again.EventsAppended.ShouldBe(0);

        // The lookup of a chunk's rows reads the source index (migration 0013), not the council's whole history.
        await using var run = (SourceImportRun)await db.EventStore.StartSourceImportAsync(tenant, SsdImporter.SourceSystem);
        var plan = await run.ExplainReadRowsAsync(["ssd_cin_episodes/R1", "ssd_contacts/K7"]);
        plan.ShouldContain("cp_events_by_source_key", customMessage: plan);
        plan.ShouldNotContain("Seq Scan on mt_events", customMessage: plan);
    }

    private static string Figures(SsdSummary s) =>
        $"{s.EventsAppended} appended; " + string.Join("; ", s.Tables.Where(t => t.Present)
            .Select(t => $"{t.Table} {t.RowsRead} read {t.Unchanged} unchanged {t.NewEvents} new {t.Corrections} corrected {t.Retractions} retracted {t.VanishedKept} kept {t.Rejections} rejected"));

    private static List<string> Listed(SsdSummary s) =>
        s.Rejections.Select(r => $"{r.Table} {r.Key} {r.Row} {r.Column} {r.Reason}").Concat(s.Warnings.Select(w => $"{w.Table} {w.Key} {w.Column} {w.Message}"))
            .Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Batches_appended_while_the_next_chunk_is_compared_store_and_count_what_one_batch_would()
    {
        // A batch of one event and chunks of two rows: an append is in flight behind nearly every chunk compared.
        var whole = new[] { await Import("one-batch", Sample(1), Night1), await Import("one-batch", Sample(2), Night2) };
        var small = new[] { await Import("many-batches", Sample(1), Night1, batch: 1, chunk: 2), await Import("many-batches", Sample(2), Night2, batch: 1, chunk: 2) };

        for (var night = 0; night < 2; night++)
        {
            Figures(small[night]).ShouldBe(Figures(whole[night]));
            Listed(small[night]).ShouldBe(Listed(whole[night]));
        }
        whole[1].Table("ssd_initial_cp_conference").Corrections.ShouldBe(1);
        (await LiveEvents("many-batches")).ShouldBe(await LiveEvents("one-batch"));
        (await Import("many-batches", Sample(2), Night2, batch: 1, chunk: 2)).EventsAppended.ShouldBe(0);
    }

    [Fact]
    public async Task A_night_appends_each_childs_events_of_every_table_in_one_append()
    {
        // Table by table, a child with a referral and an assessment was appended to once per table, its stream read
        // again each time; now once, with what every table says of it (one append: one stored-at instant).
        await Night("together", 1);
        var children = new HashSet<string>();
        await foreach (var e in db.EventStore.ReadSourceAsync("together", SsdImporter.SourceSystem)) children.Add(e.Child);
        var spanningTables = 0;
        foreach (var child in children)
        {
            var stream = await db.EventStore.ReadStreamAsync("together", child);
            stream.Select(e => e.StoredAt).Distinct().Count().ShouldBe(1, $"child {child}");
            if (stream.Select(e => e.SourceKey!.Split('/')[0]).Distinct().Count() > 1) spanningTables++;
        }
        spanningTables.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task A_night_stopped_part_way_lets_its_council_go_and_the_next_run_appends_the_rest()
    {
        using var stop = new CancellationTokenSource();
        var stopped = Should.ThrowAsync<OperationCanceledException>(() => new SsdImporter(db.Appender(), db.EventStore).ImportAsync(Sample(1),
            new SsdOptions("stopped", Night1) { BatchEvents = 1, ChunkRows = 2 }, async (name, work) =>
            {
                var running = work();
                // Stopped while the assessments' chunks are compared and their batches appended.
                if (name == "importing ssd_cin_assessments") stop.Cancel();
                await running;
            }, stop.Token));
        await stopped;

        var rest = await Night("stopped", 1);
        var clean = await Night("never-stopped", 1);
        rest.RowsRejected.ShouldBe(clean.RowsRejected);
        (await LiveEvents("stopped")).ShouldBe(await LiveEvents("never-stopped"));
        (await Night("stopped", 1)).EventsAppended.ShouldBe(0);
    }

    [Fact]
    public async Task A_table_that_stops_part_way_keeps_every_chunk_read_before_it()
    {
        // Seven contacts in chunks of two, the night's limit five rows: the third chunk stops the night while it is read —
        // when the chunk before it has been looked up but not yet mapped. The fourth row is rejected.
        var folder = Directory.CreateTempSubdirectory("cp-ssd-stop-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "ssd_contacts.csv"),
            [
                "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code",
                "K1,C1,2026-01-05 09:30:00,1A",
                "K2,C2,2026-01-06 09:30:00,1A",
                "K3,C3,2026-01-07 09:30:00,1A",
                "K4,C4,2026-13-01,1A",
                "K5,C5,2026-01-08 09:30:00,1A",
                "K6,C6,2026-01-09 09:30:00,1A",
                "K7,C7,2026-01-10 09:30:00,1A",
            ]);
            var stopped = await Should.ThrowAsync<ImportFileException>(() => new SsdImporter(db.Appender(), db.EventStore).ImportAsync(folder,
                new SsdOptions("stops", Night1) { ChunkRows = 2, Limits = ImportLimits.Default with { MaxRows = 5 } }));
            stopped.Message.ShouldContain("more than 5 rows");
            (await LiveEvents("stops")).Select(e => e.Split(' ')[0].Split('/')[1]).Distinct().Order(StringComparer.Ordinal)
                .ShouldBe(["K1", "K2", "K3"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_runs_session_compiles_no_query_plans()
    {
        // The chunk's lookup is milliseconds of index scans; its estimate once made PostgreSQL JIT-compile it at ~0.7 s a chunk.
        await using var run = (SourceImportRun)await db.EventStore.StartSourceImportAsync("no-jit", SsdImporter.SourceSystem);
        (await run.SettingAsync("jit")).ShouldBe("off");
    }

    [Fact]
    public async Task Staged_events_come_back_child_by_child_in_order_a_page_holding_whole_children_unless_one_child_is_more()
    {
        await using var run = await db.EventStore.StartSourceImportAsync("staged-pages", SsdImporter.SourceSystem);
        // Staged out of order and over two calls, as a night's chunks set them aside; children compared byte by byte ("c0" after "C4").
        await run.StageAsync([new("C2", 5, [25]), new("c0", 1, [1]), new("C1", 2, [12]), new("C3", 1, [31])]);
        await run.StageAsync([new("C1", 1, [11]), new("C2", 4, [24]), new("C3", 2, [32]), new("C3", 3, [33]), new("C3", 4, [34]), new("C4", 1, [41])]);

        var pages = new List<string>();
        await foreach (var page in run.ReadStagedAsync(3))
            pages.Add(string.Join(" ", page.Select(e => $"{e.Child}:{e.Order}:{e.Payload.Single()}")));

        // A full page gives its last child back to the next page, unless that child is the whole page (C3 has four).
        pages.ShouldBe(["C1:1:11 C1:2:12", "C2:4:24 C2:5:25", "C3:1:31 C3:2:32 C3:3:33", "C3:4:34 C4:1:41", "c0:1:1"]);
    }

    [Fact]
    public async Task Two_runs_for_one_council_at_once_the_second_is_refused_naming_the_council_and_other_councils_run()
    {
        Exception? refused = null;
        SsdSummary? other = null;
        // The second run starts while the first is importing its first table, on a connection of its own.
        var first = await Import("concurrent", Sample(1), Night1, stage: async (name, work) =>
        {
            if (refused is null && name.StartsWith("importing", StringComparison.Ordinal))
            {
                refused = await Should.ThrowAsync<ImportRunningException>(() => Import("concurrent", Sample(2), Night2));
                other = await Import("concurrent-other", Sample(1), Night1);
            }
            await work();
        });

        refused.ShouldNotBeNull().Message.ShouldContain("council concurrent");
        refused.Message.ShouldContain("ssd import");
        other.ShouldNotBeNull().EventsAppended.ShouldBe(26);
        first.EventsAppended.ShouldBe(26);
        // Refused before writing anything; the first run's lock ends with it.
        var second = await Night("concurrent", 2);
        second.Table("ssd_initial_cp_conference").Corrections.ShouldBe(1);
    }

    [Fact]
    public async Task A_correction_the_store_refuses_keeps_the_old_value_its_retraction_and_correction_land_together()
    {
        const string tenant = "atomic";
        using var night1 = new TempFolder();
        night1.Write("ssd_cin_episodes.csv", "cine_referral_id,cine_person_id,cine_referral_date\nR1,C1,2026-01-05\nR2,C2,2026-01-05\n");
        night1.Write("ssd_cin_assessments.csv", "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date\nA1,C1,R1,2026-01-06,2026-01-20\n");
        using var night2 = new TempFolder();
        // R1 now received after its assessment was authorised: the store refuses it. R2's correction is fine.
        night2.Write("ssd_cin_episodes.csv", "cine_referral_id,cine_person_id,cine_referral_date\nR1,C1,2026-01-25\nR2,C2,2026-01-04\n");
        File.Copy(Path.Combine(night1.Path, "ssd_cin_assessments.csv"), Path.Combine(night2.Path, "ssd_cin_assessments.csv"));

        (await Import(tenant, night1.Path, Night1)).EventsAppended.ShouldBe(4);
        var second = await Import(tenant, night2.Path, Night2);

        var rejection = second.Rejections.ShouldHaveSingleItem();
        (rejection.Table, rejection.Key, rejection.Column).ShouldBe(("ssd_cin_episodes", "R1", "cine_referral_date"));
        rejection.Reason.ShouldContain("the correction is not applied");
        second.Table("ssd_cin_episodes").Corrections.ShouldBe(1);
        second.EventsAppended.ShouldBe(2);
        var live = await LiveEvents(tenant);
        live.ShouldContain(l => l.StartsWith("ssd_cin_episodes/R1/referral ReferralReceived 2026-01-05 "));
        live.ShouldContain(l => l.StartsWith("ssd_cin_episodes/R2/referral ReferralReceived 2026-01-04 "));
        live.ShouldNotContain(l => l.StartsWith("ssd_cin_episodes/R2/referral ReferralReceived 2026-01-05 "));
        // The refused correction left no retraction behind: the clock still runs from the old date.
        (await Clock(tenant, "C1", "assessment", "R1", Night2)).Status.Name().ShouldBe("met");
    }
}
