using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;
using static CasePathway.Import.AnnexA.AnnexAColumns;

namespace CasePathway.Import.AnnexA;

/// <summary>
/// Ofsted Annex A lists 1–8 as pathway events (docs/import.md gives the mapping and what Annex A cannot
/// say). Episode ids are the list, the child and the row's start date (<c>A4-1234-2020-09-16</c>), so
/// every event of a row shares them and a later file's copy of the row gives the same events.
/// </summary>
public sealed class AnnexAImporter(string tenant, LocalDate today)
{
    public const string SourceSystem = "annex-a";

    public static ImportBatch Import(string path, string tenant, LocalDate today, ImportLimits? limits = null) =>
        new AnnexAImporter(tenant, today).Import(AnnexASource.Read(path, limits));

    public ImportBatch Import(IReadOnlyList<RawSheet> sheets)
    {
        if (string.IsNullOrWhiteSpace(tenant)) throw new ImportFileException("A tenant (--tenant LA) is required for an Annex A import.");
        if (DoorLimits.TenantProblem(tenant) is { } badTenant) throw new ImportFileException($"--tenant: {badTenant}");
        var listed = sheets.Select(s => (Sheet: s, List: ListNumber(s.Name))).Where(x => x.List is >= 1 and <= 8).ToList();
        if (listed.Count == 0)
            throw new ImportFileException(
                "No Annex A list found: sheets (or CSV files) must be named like 'List 1', 'List_3' or 'List 5 - Section 47'. " +
                $"Found: {string.Join(", ", sheets.Select(s => $"'{s.Name}'"))}.");
        var tables = listed.Select(x => ListTable.Locate(x.Sheet, x.List!.Value)).OfType<ListTable>().OrderBy(t => t.List).ToList();

        var batch = new ImportBatchBuilder();
        var rows = new List<(ListTable Table, RawRow Row, string Child)>();
        foreach (var table in tables)
        {
            foreach (var missing in Lists[table.List].Where(c => c.Required && !table.Has(c.Key)))
                batch.Reject(new Rejection(table.Sheet.Name, null, 0, missing.Header,
                    $"no '{missing.Header}' column: the sheet's rows were not imported (headers: {string.Join(", ", table.Headers.Where(h => h.Length > 0))})"));
            if (Lists[table.List].Any(c => c.Required && !table.Has(c.Key))) continue;

            foreach (var row in table.DataRows)
            {
                if (row.IsBlank) continue;
                batch.RowRead();
                var (childCell, conflict) = table.Cell(row, Child);
                var child = CellText.Id(childCell);
                if (conflict is not null || child is null)
                {
                    batch.Reject(new Rejection(table.Sheet.Name, null, row.Number, table.HeaderOf(Child), conflict ?? "the child id is blank"));
                    continue;
                }
                rows.Add((table, row, child));
            }
        }

        var context = new Context(rows);
        var contactsSeen = new Dictionary<(string, LocalDate), int>();
        foreach (var (table, row, child) in rows)
        {
            var reader = new RowReader(table, row, child, today);
            var mapped = Map(table.List, reader, child, context, contactsSeen);
            var events = reader.RejectsRow ? [] : mapped
                .Select(x => EventIds.Event(SourceSystem, tenant, child, Occurrence.On(x.Date), x.Data, $"L{table.List}/{child}/{reader.StartKey}"))
                .ToList();
            // The door's limits (an over-long child id, a control character in a team name), named by column.
            foreach (var error in events.SelectMany(e => DoorLimits.Check(e)).DistinctBy(e => e.Field))
                reader.Reject(ColumnOf(error.Field), error.Message);
            foreach (var rejection in reader.Rejections) batch.Reject(rejection);
            if (reader.RejectsRow) continue;
            foreach (var warning in reader.Warnings) batch.Warn(warning);
            foreach (var e in events) batch.Add(e);
        }
        return batch.Build();
    }

    private static List<(LocalDate Date, IPathwayEventData Data)> Map(int list, RowReader r, string child, Context context, Dictionary<(string, LocalDate), int> contactsSeen)
    {
        var events = new List<(LocalDate, IPathwayEventData)>();
        var start = r.Date(Start, required: true);
        if (start is not { } s) return events;
        var id = $"A{list}-{child}-{OccurrenceText.FormatDate(s)}";
        switch (list)
        {
            case 1:
            {
                // Several contacts about a child on one day are several rows; number the repeats.
                var n = contactsSeen[(child, s)] = contactsSeen.GetValueOrDefault((child, s)) + 1;
                events.Add((s, new ContactReceived(n == 1 ? id : $"{id}-{n}", ContactRoute.Unknown, CellText.Source(r.Raw(Source)))));
                break;
            }
            case 2:
            {
                var end = r.DateNotBefore(End, s);
                events.Add((s, new EarlyHelpConsentGiven(id)));
                if (end is { } e) events.Add((e, new EarlyHelpAssessmentCompleted(id)));
                break;
            }
            case 3:
                events.Add((s, new ReferralReceived(id, Source: CellText.Source(r.Raw(Source)))));
                break;
            case 4:
            {
                var end = r.DateNotBefore(End, s);
                events.Add((s, new AssessmentStarted(id)));
                if (end is { } e)
                {
                    // Timeliness needs the dates, not the outcome: rejecting the row would lose the assessment's
                    // start, its authorisation and its duration clock. Imported with the outcome unknown instead.
                    var inNeed = CellText.YesNo(r.Raw(Outcome));
                    if (inNeed is null)
                        r.Warn(Outcome, (CellText.Text(r.Raw(Outcome)) is { } said ? $"'{said}' does not say yes or no" : "is blank")
                            + ": the assessment and its authorisation are imported with the outcome unknown (CIN5 leaves it out)");
                    events.Add((e, new AssessmentAuthorised(id, inNeed switch { true => AssessmentOutcome.Services, false => AssessmentOutcome.Nfa, null => null })));
                }
                break;
            }
            case 5:
            {
                var icpc = r.DateNotBefore(Icpc, s);
                events.Add((s, new StrategyDiscussionHeld(id, StrategyOutcome.S47)));
                events.Add((s, new Section47Started(id, id)));
                if (icpc is { } c)
                    events.Add((c, new InitialChildProtectionConferenceHeld(id, CellText.YesNo(r.Raw(Plan)) == true ? PlanId(child, c) : null)));
                else if (CellText.YesNo(r.Raw(Unnecessary)) == true)
                    // No conference is needed, so the icpc clock is cancelled, not breached. Annex A gives no date
                    // for that decision: it is recorded on the enquiry's start date (docs/import.md).
                    events.Add((s, new Section47Completed(id, false)));
                break;
            }
            case 6:
            {
                var end = r.DateNotBefore(End, s);
                // The CIN start date is the date of the referral that began the episode (Ofsted's FAQ).
                var referralId = $"A3-{child}-{OccurrenceText.FormatDate(s)}";
                if (!context.Referrals.Contains(referralId)) events.Add((s, new ReferralReceived(referralId)));
                if (end is { } e) events.Add((e, new CaseClosed(referralId)));
                break;
            }
            case 7:
            {
                var planId = PlanId(child, s);
                var review = r.DateNotBefore(Review, s);
                var end = r.DateNotBefore(End, s);
                if (review is { } rv && end is { } en && rv > en) r.Reject(Review, $"the review ({rv:uuuu-MM-dd}) is after the plan ended ({en:uuuu-MM-dd})");
                // A plan starts at the conference that made it; list 5 has that conference when it is in the window.
                if (!context.PlanningConferences.Contains(planId))
                    events.Add((s, new InitialChildProtectionConferenceHeld($"A7-{child}-{OccurrenceText.FormatDate(s)}", planId)));
                if (review is { } rd) events.Add((rd, new ChildProtectionReviewHeld(planId)));
                if (end is { } ed) events.Add((ed, new ChildProtectionPlanEnded(planId)));
                break;
            }
            case 8:
            {
                var review = r.DateNotBefore(Review, s);
                var end = r.DateNotBefore(End, s);
                if (review is { } rv && end is { } en && rv > en) r.Reject(Review, $"the review ({rv:uuuu-MM-dd}) is after the child ceased to be looked after ({en:uuuu-MM-dd})");
                events.Add((s, new BecameLookedAfter(id)));
                if (review is { } rd) events.Add((rd, new LookedAfterReviewHeld(id)));
                if (end is { } ed) events.Add((ed, new CeasedLookedAfter(id)));
                break;
            }
        }

        // Annex A shows who holds the case now, not when it was allocated: dated at the row's start.
        var team = CellText.Text(r.Raw(Team));
        var worker = CellText.Text(r.Raw(Worker));
        if (list >= 3 && (team ?? worker) is not null) events.Add((s, new CaseAllocated(team, worker)));
        return events;
    }

    /// <summary>The column an event field came from: ids are made of the child id and dates, text from its own column.</summary>
    private static string ColumnOf(string field) => field switch
    {
        "data.team" => Team,
        "data.worker" => Worker,
        "data.source" => Source,
        "occurredAt" => Start,
        _ => Child,
    };

    private static string PlanId(string child, LocalDate start) => $"A7-{child}-{OccurrenceText.FormatDate(start)}";

    /// <summary>What one list tells the mapping of another: referrals in list 3, conferences that made plans in list 5.</summary>
    private sealed class Context
    {
        public Context(IEnumerable<(ListTable Table, RawRow Row, string Child)> rows)
        {
            foreach (var (table, row, child) in rows)
            {
                if (table.List == 3 && CellText.Date(table.Cell(row, Start).Value).Date is { } referral)
                    Referrals.Add($"A3-{child}-{OccurrenceText.FormatDate(referral)}");
                if (table.List == 5 && CellText.Date(table.Cell(row, Icpc).Value).Date is { } icpc && CellText.YesNo(table.Cell(row, Plan).Value) == true)
                    PlanningConferences.Add(PlanId(child, icpc));
            }
        }

        public HashSet<string> Referrals { get; } = [];
        public HashSet<string> PlanningConferences { get; } = [];
    }
}
