using System.Xml;
using System.Xml.Linq;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Import.CinCensus;

/// <summary>
/// The DfE children in need census (XML, 2021–2026 schemas) as pathway events; see docs/import.md for the
/// mapping. Each CIN episode, assessment, Section 47 enquiry, child in need plan and child protection plan is
/// a "row": an impossible one (a date after the collection's reference date, an end before its start) is rejected
/// with the child id and reason, and the rest of the file is imported.
/// </summary>
public sealed class CinCensusImporter(string? tenant, WorkingCalendar calendar)
{
    public const string SourceSystem = "cin-census";
    private const int IcpcWorkingDays = 15;

    private WorkingCalendar Calendar { get; } = calendar;

    public static ImportBatch Import(string path, string? tenant)
    {
        if (Directory.Exists(path)) throw new ImportFileException($"{path} is a folder, not a CIN census XML file.");
        if (!File.Exists(path)) throw new ImportFileException($"{path} does not exist.");
        using var reader = XmlReader.Create(path, ReaderSettings);
        return new CinCensusImporter(tenant, WorkingCalendar.EnglandAndWales()).Import(reader, Path.GetFileName(path));
    }

    /// <summary>
    /// No DTD (an entity that expands a billion times is refused, not expanded) and nothing fetched from
    /// elsewhere. The census schema has no DTD, so a genuine file never has one.
    /// </summary>
    public static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// Streams the file: the header, then one <c>Child</c> element at a time, so memory holds one child's
    /// records, not the document.
    /// </summary>
    public ImportBatch Import(XmlReader reader, string name = "the file")
    {
        try
        {
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "Message") throw NotCensus();
            XElement? header = null;
            ImportBatchBuilder? batch = null;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == 0))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1)
                {
                    reader.Read();
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "Header" when batch is null:
                        header = ReadElement(reader);
                        break;
                    case "Children" when batch is null:
                        // the schema puts the header first; the tenant and reference date must be known before any child
                        var (la, reference) = Collection(header);
                        batch = new ImportBatchBuilder();
                        ReadChildren(reader, la, reference, batch);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return batch?.Build() ?? throw NotCensus();
        }
        catch (XmlException ex)
        {
            throw new ImportFileException($"{name} is not a readable XML file: {ex.Message}", ex);
        }
    }

    /// <summary>A document already loaded (tests build them inline); read the same way, one child at a time.</summary>
    public ImportBatch Import(XDocument document)
    {
        var message = document.Root;
        if (message is null || message.Name.LocalName != "Message" || Child(message, "Children") is not { } children) throw NotCensus();
        var header = Child(message, "Header");
        var (la, reference) = Collection(header);
        var batch = new ImportBatchBuilder();
        foreach (var child in Elements(children, "Child")) ImportChild(child, la, reference, batch);
        return batch.Build();
    }

    private static ImportFileException NotCensus() => new("Not a CIN census file: expected <Message> with <Header> and <Children>.");

    /// <summary>The tenant (checked against the door's limits) and the collection's reference date, from the header.</summary>
    private (string Tenant, LocalDate? Reference) Collection(XElement? header)
    {
        var lea = Text(Child(Child(header, "Source"), "LEA"));
        var la = string.IsNullOrWhiteSpace(tenant) ? lea : tenant;
        if (string.IsNullOrWhiteSpace(la))
            throw new ImportFileException("The file has no Header/Source/LEA: give the tenant with --tenant LA.");
        if (DoorLimits.TenantProblem(la) is { } problem)
            throw new ImportFileException(string.IsNullOrWhiteSpace(tenant) ? $"Header/Source/LEA: {problem}; give the tenant with --tenant LA" : $"--tenant: {problem}");
        var referenceText = Text(Child(Child(header, "CollectionDetails"), "ReferenceDate"));
        return (la, referenceText is null ? null : OccurrenceText.ParseDate(referenceText));
    }

    private void ReadChildren(XmlReader reader, string la, LocalDate? reference, ImportBatchBuilder batch)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }
        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1 && reader.LocalName == "Child")
                ImportChild(ReadElement(reader), la, reference, batch);
            else if (reader.NodeType == XmlNodeType.Element)
                reader.Skip();
            else
                reader.Read();
        }
        if (reader.NodeType == XmlNodeType.EndElement) reader.Read();
    }

    /// <summary>The element the reader is on, with the file's line numbers; the reader ends after it.</summary>
    private static XElement ReadElement(XmlReader reader)
    {
        using var subtree = reader.ReadSubtree();
        var element = XElement.Load(subtree, LoadOptions.SetLineInfo);
        reader.Read();
        return element;
    }

    private void ImportChild(XElement child, string la, LocalDate? reference, ImportBatchBuilder batch)
    {
        var id = Text(Child(Child(child, "ChildIdentifiers"), "LAchildID"));
        var problem = id is null ? "the child id is blank" : DoorLimits.ChildProblem(id);
        if (problem is not null)
        {
            batch.RowRead();
            batch.Reject(new Rejection(null, id is null ? null : DoorLimits.Shown(id), Line(child), "LAchildID", problem));
            return;
        }
        foreach (var episode in Elements(child, "CINdetails"))
            new ChildEpisode(this, la, id!, reference, batch).Import(episode);
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Elements(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    // Only the element's own text: stray text elsewhere is ignored rather than read as a value.
    private static string? Text(XElement? e) =>
        e is null ? null : string.Concat(e.Nodes().OfType<XText>().Select(t => t.Value)).Trim() is { Length: > 0 } t ? t : null;

    private static int Line(XObject e) => ((IXmlLineInfo)e).HasLineInfo() ? ((IXmlLineInfo)e).LineNumber : 0;

    /// <summary>One CINdetails episode of one child; rejections and warnings go to the batch.</summary>
    private sealed class ChildEpisode(CinCensusImporter importer, string tenant, string child, LocalDate? reference, ImportBatchBuilder batch)
    {
        private readonly List<(XElement Element, LocalDate Date, IPathwayEventData Data)> _events = [];

        public void Import(XElement episode)
        {
            batch.RowRead();
            var problems = new List<(XElement, string, string)>();
            var referral = DateOf(episode, "CINreferralDate", problems, required: true);
            if (referral is not { } referred || problems.Count > 0)
            {
                Reject(episode, problems);
                return;
            }
            var referralId = $"CIN-{child}-{OccurrenceText.FormatDate(referred)}";
            Add(episode, referred, new ReferralReceived(referralId, Source: Text(Child(episode, "ReferralSource"))));

            var before = problems.Count;
            var closure = DateOf(episode, "CINclosureDate", problems);
            var closureReadable = problems.Count == before;
            if (closureReadable && closure is { } closed && closed < referred)
                problems.Add((Child(episode, "CINclosureDate")!, "CINclosureDate", $"{closed:uuuu-MM-dd} is before the referral ({referred:uuuu-MM-dd})"));
            else if (closureReadable && closure is { } c)
            {
                // The census has no decision date; an NFA referral closed the day it came in was decided that day.
                if (IsTrue(Text(Child(episode, "ReferralNFA"))) && c == referred)
                    Add(episode, c, new ReferralDecisionMade(referralId, ReferralOutcome.Nfa));
                Add(episode, c, new CaseClosed(referralId));
            }
            Reject(episode, problems);
            Flush(episode);

            var plans = Elements(episode, "ChildProtectionPlans").ToList();
            var planStarts = new HashSet<LocalDate>();
            foreach (var a in Elements(episode, "Assessments")) Assessment(a, referralId);
            foreach (var s in Elements(episode, "Section47")) Section47(s, plans, planStarts);
            foreach (var p in plans) Plan(p, planStarts);
            foreach (var c in Elements(episode, "CINPlanDates")) CinPlan(c);
        }

        // The census has a CIN plan's start and end but no review dates, so its cin-review clocks are
        // not measurable (rulebook "sources") rather than breached.
        private void CinPlan(XElement plan)
        {
            batch.RowRead();
            var problems = new List<(XElement, string, string)>();
            var start = DateOf(plan, "CINPlanStartDate", problems, required: true);
            var end = DateOf(plan, "CINPlanEndDate", problems);
            if (start is { } s && end is { } e && e < s)
                problems.Add((Child(plan, "CINPlanEndDate")!, "CINPlanEndDate", $"the plan ended ({e:uuuu-MM-dd}) before it started ({s:uuuu-MM-dd})"));
            if (problems.Count > 0 || start is null)
            {
                Reject(plan, problems);
                return;
            }
            var cinPlanId = $"CIN-{child}-CINP-{OccurrenceText.FormatDate(start.Value)}";
            Add(plan, start.Value, new ChildInNeedPlanStarted(cinPlanId));
            if (end is { } ended) Add(plan, ended, new ChildInNeedPlanEnded(cinPlanId));
            Flush(plan);
        }

        private void Assessment(XElement a, string referralId)
        {
            batch.RowRead();
            var problems = new List<(XElement, string, string)>();
            var start = DateOf(a, "AssessmentActualStartDate", problems, required: true);
            var authorised = DateOf(a, "AssessmentAuthorisationDate", problems);
            if (start is { } s && authorised is { } au && au < s)
                problems.Add((Child(a, "AssessmentAuthorisationDate")!, "AssessmentAuthorisationDate", $"authorised {au:uuuu-MM-dd}, before it started ({s:uuuu-MM-dd})"));
            if (problems.Count > 0 || start is null)
            {
                Reject(a, problems);
                return;
            }
            var id = $"CIN-{child}-A-{OccurrenceText.FormatDate(start.Value)}";
            Add(a, start.Value, new AssessmentStarted(id, referralId));
            if (authorised is { } done)
            {
                // Factor 21 is "no factors identified": the child was not found in need.
                var factors = Child(a, "FactorsIdentifiedAtAssessment")?.Elements().Select(Text).OfType<string>().ToList() ?? [];
                var inNeed = factors.Any(f => f != "21");
                Add(a, done, new AssessmentAuthorised(id, inNeed ? AssessmentOutcome.Services : AssessmentOutcome.Nfa));
            }
            Flush(a);
        }

        private void Section47(XElement s47, List<XElement> plans, HashSet<LocalDate> planStarts)
        {
            batch.RowRead();
            var problems = new List<(XElement, string, string)>();
            var start = DateOf(s47, "S47ActualStartDate", problems, required: true);
            var icpc = DateOf(s47, "DateOfInitialCPC", problems);
            if (start is { } st && icpc is { } ic && ic < st)
                problems.Add((Child(s47, "DateOfInitialCPC")!, "DateOfInitialCPC", $"the conference ({ic:uuuu-MM-dd}) is before the enquiry started ({st:uuuu-MM-dd})"));
            if (problems.Count > 0 || start is null)
            {
                Reject(s47, problems);
                return;
            }
            var started = start.Value;
            // S47ActualStartDate is the date of the strategy discussion that initiated the enquiry.
            var id = $"CIN-{child}-S47-{OccurrenceText.FormatDate(started)}";
            Add(s47, started, new StrategyDiscussionHeld(id, StrategyOutcome.S47));
            Add(s47, started, new Section47Started(id, id));
            if (icpc is { } held)
            {
                // The conference made the plan that starts on its date, if the episode has one.
                var made = plans.Any(p => ParseDate(Text(Child(p, "CPPstartDate"))) == held);
                if (made) planStarts.Add(held);
                Add(s47, held, new InitialChildProtectionConferenceHeld(id, made ? PlanId(held) : null));
            }
            else if (Text(Child(s47, "ICPCnotRequired")) is "true" or "1")
            {
                // No conference is needed, so the icpc clock is cancelled, not breached. The census gives no
                // date for that decision: it is recorded on the enquiry's start date (docs/import.md).
                Add(s47, started, new Section47Completed(id, false));
            }
            CompareTarget(s47, started);
            Flush(s47);
        }

        private void CompareTarget(XElement s47, LocalDate started)
        {
            var targetText = Text(Child(s47, "InitialCPCtarget"));
            if (targetText is null) return;
            var ours = importer.Calendar.AddWorkingDays(started, IcpcWorkingDays);
            var theirs = ParseDate(targetText);
            if (theirs is null)
                batch.Warn(new ImportWarning(child, "InitialCPCtarget", $"'{targetText}' is not a date; our due date is {ours:uuuu-MM-dd}"));
            else if (theirs != ours)
                batch.Warn(new ImportWarning(child, "InitialCPCtarget",
                    $"the file gives {theirs:uuuu-MM-dd}; {IcpcWorkingDays} working days after the S47 start {started:uuuu-MM-dd} is {ours:uuuu-MM-dd}" +
                    Explain(started, ours)));
        }

        private string Explain(LocalDate start, LocalDate due)
        {
            var holidays = importer.Calendar.NonWorkingDaysBetween(start, due)
                .Where(d => d.Date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)).ToList();
            return holidays.Count == 0 ? "" : " (not counted: " + string.Join(", ", holidays.Select(h => $"{h.Date:uuuu-MM-dd} {h.Reason}")) + ")";
        }

        private void Plan(XElement plan, HashSet<LocalDate> linked)
        {
            batch.RowRead();
            var problems = new List<(XElement, string, string)>();
            var start = DateOf(plan, "CPPstartDate", problems, required: true);
            var end = DateOf(plan, "CPPendDate", problems);
            if (start is { } s && end is { } e && e < s)
                problems.Add((Child(plan, "CPPendDate")!, "CPPendDate", $"the plan ended ({e:uuuu-MM-dd}) before it started ({s:uuuu-MM-dd})"));
            var reviews = new List<(XElement, LocalDate)>();
            foreach (var reviewElement in Elements(plan, "Reviews").SelectMany(r => r.Elements().Where(x => x.Name.LocalName == "CPPreviewDate")))
            {
                var review = DateOfElement(reviewElement, "CPPreviewDate", problems);
                if (review is not { } rv) continue;
                if (start is { } st && rv < st)
                    problems.Add((reviewElement, "CPPreviewDate", $"a review ({rv:uuuu-MM-dd}) before the plan started ({st:uuuu-MM-dd})"));
                else if (end is { } en && rv > en)
                    problems.Add((reviewElement, "CPPreviewDate", $"a review ({rv:uuuu-MM-dd}) after the plan ended ({en:uuuu-MM-dd})"));
                else reviews.Add((reviewElement, rv));
            }
            if (problems.Count > 0 || start is null)
            {
                Reject(plan, problems);
                return;
            }
            var planId = PlanId(start.Value);
            // A plan whose conference is not in the file still began at one, on its start date.
            if (!linked.Contains(start.Value))
                Add(plan, start.Value, new InitialChildProtectionConferenceHeld($"CIN-{child}-CPP-{OccurrenceText.FormatDate(start.Value)}", planId));
            foreach (var (element, date) in reviews) Add(element, date, new ChildProtectionReviewHeld(planId));
            if (end is { } ended) Add(plan, ended, new ChildProtectionPlanEnded(planId));
            Flush(plan);
        }

        private string PlanId(LocalDate start) => $"CIN-{child}-CPP-{OccurrenceText.FormatDate(start)}";

        private LocalDate? DateOf(XElement parent, string name, List<(XElement, string, string)> problems, bool required = false)
        {
            var element = Child(parent, name);
            if (element is null || Text(element) is null)
            {
                if (required) problems.Add((element ?? parent, name, "is missing: the record has no date to import"));
                return null;
            }
            return DateOfElement(element, name, problems);
        }

        private LocalDate? DateOfElement(XElement element, string name, List<(XElement, string, string)> problems)
        {
            var text = Text(element)!;
            var date = ParseDate(text);
            if (date is null)
            {
                problems.Add((element, name, $"'{DoorLimits.Shown(text)}' is not a date (yyyy-MM-dd)"));
                return null;
            }
            if (DoorLimits.OccurredProblem(Occurrence.On(date.Value)) is { } outside)
            {
                problems.Add((element, name, outside));
                return null;
            }
            // Still returned, so that the record's other checks can name every problem it has.
            if (reference is { } r && date > r)
                problems.Add((element, name, $"{date:uuuu-MM-dd} is after the collection's reference date ({r:uuuu-MM-dd})"));
            return date;
        }

        private static LocalDate? ParseDate(string? text) => text is null ? null : OccurrenceText.ParseDate(text);

        private static bool IsTrue(string? text) => text is "true" or "1" or "True" or "TRUE";

        private void Add(XElement element, LocalDate date, IPathwayEventData data) => _events.Add((element, date, data));

        /// <summary>Adds the record's events, unless one breaks the door's limits: then the record is rejected whole.</summary>
        private void Flush(XElement record)
        {
            var events = _events
                .Select(x => EventIds.Event(SourceSystem, tenant, child, Occurrence.On(x.Date), x.Data, $"{x.Element.Name.LocalName}/{child}/{OccurrenceText.FormatDate(x.Date)}"))
                .ToList();
            _events.Clear();
            var errors = events.SelectMany(e => DoorLimits.Check(e)).DistinctBy(e => e.Field).ToList();
            if (errors.Count > 0)
            {
                // the ids are made of the child id and dates; the only text read from the file is the referral source
                Reject(record, errors.Select(e => (record, e.Field == "data.source" ? "ReferralSource" : "LAchildID", e.Message)).ToList());
                return;
            }
            foreach (var e in events) batch.Add(e);
        }

        // The row is the record's line (the episode, assessment, enquiry or plan), so that one impossible
        // record counts once however many problems it has; the column names the element.
        private void Reject(XElement record, List<(XElement Element, string Column, string Reason)> problems)
        {
            foreach (var (_, column, reason) in problems)
                batch.Reject(new Rejection(null, child, Line(record), column, reason));
        }
    }
}
