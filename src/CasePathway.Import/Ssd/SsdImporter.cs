using System.Buffers;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Store;
using CasePathway.Store.Pathways;
using CsvHelper;
using NodaTime;

namespace CasePathway.Import.Ssd;

/// <summary>How a night's snapshot is imported.</summary>
/// <param name="Tenant">The council.</param>
/// <param name="AsOf">The snapshot's instant: the recordedAt of every event it adds.</param>
/// <param name="Vanished">What a row that vanished since the last snapshot becomes.</param>
public sealed record SsdOptions(string Tenant, Instant AsOf, VanishedRows Vanished = VanishedRows.Retract)
{
    public ImportLimits Limits { get; init; } = ImportLimits.Default;

    /// <summary>
    /// Events handed to the one way in at a time (whole children, a child's events of every table together), so that
    /// neither memory nor a transaction grows with the snapshot.
    /// </summary>
    public int BatchEvents { get; init; } = 8_000;

    /// <summary>CSV rows read, and compared with what the store holds for them, at a time.</summary>
    public int ChunkRows { get; init; } = 2_000;
}

/// <summary>
/// The Standard Safeguarding Dataset's nightly full snapshot (one CSV per table) as pathway events, compared
/// with what the store already holds from this feed: an unchanged row appends nothing, a new date appends its
/// event, a changed date retracts the old event and appends the corrected one, and a vanished row is retracted
/// (or kept with a warning). Mapping and semantics: docs/import.md, "Standard Safeguarding Dataset".
/// The CSVs are streamed a chunk of rows at a time: each chunk's rows are noted in the database as in this
/// snapshot, and what the store holds for exactly those rows (and for the ids they link to) is read for the chunk,
/// so memory follows the chunk and the batch, not the council's history nor the snapshot (docs/import.md,
/// "Memory"). Vanished rows are found afterwards, in the database. One run per council at a time
/// (<see cref="IEventStore.StartSourceImportAsync"/>); a correction's retraction and corrected event are appended
/// together or not at all.
/// </summary>
public sealed class SsdImporter(PathwayAppender appender, IEventStore store)
{
    public const string SourceSystem = "ssd";

    public const string Contacts = "ssd_contacts", EarlyHelp = "ssd_early_help_episodes", CinEpisodes = "ssd_cin_episodes",
        Assessments = "ssd_cin_assessments", S47 = "ssd_s47_enquiry", Icpc = "ssd_initial_cp_conference", CpPlans = "ssd_cp_plans",
        CpReviews = "ssd_cp_reviews", CinPlans = "ssd_cin_plans", ClaEpisodes = "ssd_cla_episodes", ClaReviews = "ssd_cla_reviews",
        Missing = "ssd_missing", Involvements = "ssd_involvements";

    /// <summary>The tables read, in the order they are imported (a linked record after what it links to), with their key and person columns.</summary>
    public static readonly IReadOnlyList<(string Table, string Key, string? Person)> Tables =
    [
        (Contacts, "cont_contact_id", "cont_person_id"),
        (EarlyHelp, "earl_episode_id", "earl_person_id"),
        (CinEpisodes, "cine_referral_id", "cine_person_id"),
        (Assessments, "cina_assessment_id", "cina_person_id"),
        (S47, "s47e_s47_enquiry_id", "s47e_person_id"),
        (CpPlans, "cppl_cp_plan_id", "cppl_person_id"),
        (Icpc, "icpc_icpc_id", "icpc_person_id"),
        (CpReviews, "cppr_cp_review_id", "cppr_person_id"),
        (CinPlans, "cinp_cin_plan_id", "cinp_person_id"),
        (ClaEpisodes, "clae_cla_episode_id", "clae_person_id"),
        (ClaReviews, "clar_cla_review_id", null),
        (Missing, "miss_table_id", "miss_person_id"),
        (Involvements, "invo_involvements_id", "invo_person_id"),
    ];

    /// <summary>A table's place in <see cref="Tables"/>.</summary>
    private static int TableIndex(string table)
    {
        for (var i = 0; i < Tables.Count; i++)
            if (Tables[i].Table == table) return i;
        throw new InvalidOperationException($"{table} is not an SSD table");
    }

    /// <summary>The CSV files of the SSD tables in a folder, by table (file names matched case-insensitively).</summary>
    public static IReadOnlyDictionary<string, string> FilesIn(string folder)
    {
        if (File.Exists(folder)) throw new ImportFileException($"{folder} is a file: give the folder holding the SSD tables (ssd_contacts.csv, ssd_cin_episodes.csv, …).");
        if (!Directory.Exists(folder)) throw new ImportFileException($"{folder} does not exist.");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.TopDirectoryOnly)
            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f).ToLowerInvariant(), f => f);
        var found = Tables.Where(t => files.ContainsKey(t.Table)).ToDictionary(t => t.Table, t => files[t.Table]);
        if (found.Count == 0)
            throw new ImportFileException($"The folder {folder} holds none of the SSD tables (ssd_contacts.csv, ssd_cin_episodes.csv, … ssd_involvements.csv).");
        return found;
    }

    /// <summary>The snapshot's instant when none is given: the latest modification time of its table files.</summary>
    public static Instant SnapshotInstant(string folder) =>
        FilesIn(folder).Values.Select(f => Instant.FromDateTimeUtc(File.GetLastWriteTimeUtc(f))).Max();

    /// <summary>Imports the snapshot in <paramref name="folder"/>; <paramref name="stage"/> wraps each table's import (progress).</summary>
    public async Task<SsdSummary> ImportAsync(string folder, SsdOptions options, Func<string, Func<Task>, Task>? stage = null, CancellationToken ct = default)
    {
        stage ??= (_, work) => work();
        if (DoorLimits.TenantProblem(options.Tenant) is { } tenantProblem) throw new ImportFileException($"--tenant: {tenantProblem}");
        if (DoorLimits.RecordedProblem(options.AsOf, null) is { } asOfProblem) throw new ImportFileException($"--as-of: {asOfProblem}");
        var files = FilesIn(folder);
        CheckFiles(files, options.Limits);

        // Refused at once when another run for this council holds the feed: two runs would both find the same
        // change and append it twice under different snapshot instants.
        await using var run = await store.StartSourceImportAsync(options.Tenant, SourceSystem, ct);
        var night = new Night(this, options, files, run);
        foreach (var (table, _, _) in Tables)
        {
            if (!files.TryGetValue(table, out var file))
            {
                if (await run.HoldsAsync(table, ct))
                    night.Summary.Warn(new SsdWarning(table, null, null, "the table is not in this snapshot: its rows from earlier snapshots are left as they were"));
                continue;
            }
            try
            {
                await stage($"importing {table}", () => night.ImportTableAsync(table, file, ct));
            }
            catch (Exception e) when (e is CsvFormatException or ImportFileException)
            {
                // What was read before the file stopped the night is appended, as the messages say.
                await night.AppendStagedAsync(ct);
                if (e is CsvFormatException)
                    throw new ImportFileException($"{Path.GetFileName(file)} could not be read as CSV: {e.Message.Split('\n')[0]}. The tables before it were imported; a re-run after fixing the file appends the rest.", e);
                throw;
            }
        }
        await stage("finding vanished rows", () => night.VanishedAsync(ct));
        await stage("appending the night's events, child by child", () => night.AppendStagedAsync(ct));
        return night.Summary;
    }

    private static void CheckFiles(IReadOnlyDictionary<string, string> files, ImportLimits limits)
    {
        var bytes = files.Values.Sum(f => new FileInfo(f).Length);
        if (bytes > limits.MaxBytes)
            throw new ImportFileException(
                $"The SSD tables hold {ImportLimits.Megabytes(bytes)}, more than the limit of {ImportLimits.Megabytes(limits.MaxBytes)}; nothing was imported ({limits.BytesAdvice}).");
        // Every table's identifying columns before anything is stored: a broken export stores nothing.
        foreach (var (table, key, person) in Tables)
        {
            if (!files.TryGetValue(table, out var file)) continue;
            var header = Header(file);
            foreach (var required in new[] { key, person ?? "clar_cla_id" })
                if (!header.ContainsKey(required))
                    throw new ImportFileException($"{Path.GetFileName(file)} has no column {required}; nothing was imported.");
        }
    }

    private static CsvReaderOptions ReaderOptions => new() { HasHeader = false, TrackLineNumbers = true };

    private static Dictionary<string, int> Header(string file)
    {
        try
        {
            using var csv = CsvReader.FromFile(file, ReaderOptions);
            return csv.Read() ? HeaderOf(csv) : new Dictionary<string, int>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvFormatException)
        {
            throw new ImportFileException($"{Path.GetFileName(file)} is not a readable CSV file: {e.Message}", e);
        }
    }

    private static Dictionary<string, int> HeaderOf(CsvReader csv)
    {
        var header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var name = (csv.GetString(i) ?? "").Trim().TrimStart('\uFEFF');
            if (name.Length > 0) header.TryAdd(name, i);
        }
        return header;
    }

    /// <summary>Rows of a table file, header excluded; whole blank rows skipped.</summary>
    private static IEnumerable<(Dictionary<string, int> Header, string[] Fields, int Line)> Rows(string file)
    {
        using var csv = CsvReader.FromFile(file, ReaderOptions);
        if (!csv.Read()) yield break;
        var header = HeaderOf(csv);
        while (csv.Read())
        {
            var fields = new string[csv.FieldCount];
            var blank = true;
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i) ?? "";
                if (!string.IsNullOrWhiteSpace(fields[i])) blank = false;
            }
            if (!blank) yield return (header, fields, (int)csv.LineNumber);
        }
    }

    private enum Change { New, Correction, CorrectionRetraction, Retraction }

    /// <summary>
    /// An event to append; those of one <paramref name="Unit"/> (not 0: a correction) land together or not at all.
    /// <paramref name="Group"/>: the table's place in <see cref="Tables"/> (the vanished rows' after them all).
    /// </summary>
    private sealed record Pending(PathwayEvent Event, string Table, string? Key, int Line, string? Column, Change Change, int Unit = 0, int Group = 0)
    {
        /// <summary>
        /// Within a table: retractions of blanked and vanished values first (a corrected start may otherwise meet the
        /// old stop), then the corrections (units), then what is new.
        /// </summary>
        public int Phase => Unit != 0 ? 1 : Change == Change.Retraction ? 0 : 2;

        /// <summary>
        /// Its place among its child's events of the night: by table (a linked record after what it links to), then by
        /// <see cref="Phase"/>, then as found.
        /// </summary>
        public long Order(long found) => ((long)(Group * 3 + Phase) << 40) | found;

        /// <summary>
        /// The form it is set aside in (<see cref="ISourceImportRun.StageAsync"/>) and read back from by this run only:
        /// the event in <see cref="EventBinary"/>'s form after what the import needs of its row.
        /// </summary>
        public byte[] Stage(ArrayBufferWriter<byte> buffer)
        {
            buffer.ResetWrittenCount();
            var w = new BinaryFormWriter(buffer);
            w.Int32(TableIndex(Table));
            w.String(Key);
            w.Int32(Line);
            w.String(Column);
            w.Byte((byte)Change);
            w.Int32(Unit);
            w.Int32(Group);
            EventBinary.Write(ref w, Event);
            return buffer.WrittenSpan.ToArray();
        }

        public static Pending Unstage(byte[] payload)
        {
            var r = new BinaryFormReader(payload);
            var table = Tables[r.Int32()].Table;
            var key = r.String();
            var line = r.Int32();
            var column = r.String();
            var change = (Change)r.Byte();
            var unit = r.Int32();
            var group = r.Int32();
            return new Pending(EventBinary.Read(ref r), table, key, line, column, change, unit, group);
        }
    }

    private sealed record Candidate(SsdRow Row, string Key, string RowKey);

    /// <summary>
    /// The ids one chunk's rows link to that this snapshot or an earlier one holds (a referral, an S47, a plan) and
    /// the looked-after periods' children, looked up for the chunk only.
    /// </summary>
    private sealed class Links
    {
        public HashSet<string> Referrals { get; } = new(StringComparer.Ordinal);
        public HashSet<string> S47s { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Plans { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> ClaChildren { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One night's import: the run, the chunk's prior state and links, the pending batch and the summary.</summary>
    private sealed class Night(SsdImporter importer, SsdOptions options, IReadOnlyDictionary<string, string> files, ISourceImportRun run)
    {
        public SsdPriorState Prior { get; set; } = new();
        public SsdSummary Summary { get; } = new(options.AsOf, Tables.Select(t => t.Table));

        private readonly List<Pending> _pending = [];
        private readonly ArrayBufferWriter<byte> _stageBuffer = new(512);
        // Pages appended at once. Each append's COPY is one PostgreSQL backend's work, and it was the night's limit with one
        // page at a time: with two, one page is decided and written while the other's rows go in. A page holds whole
        // children, so no two appends in flight touch one stream; they land, and are counted, in order.
        private const int PagesInFlight = 2;
        private readonly Queue<Task<List<Action>>> _appending = new();
        private int _group;
        private long _found;
        private readonly HashSet<(string Table, int Line)> _rejectedRows = [];
        private long _rowsRead;
        private int _units;
        private Links _links = new();

        // This snapshot's links from plans to their conferences, and its looked-after periods: the CP and CLA tables
        // are a small part of a snapshot, and a period's first and last episode need the whole table.
        private readonly Dictionary<string, string> _planOfIcpc = new(StringComparer.Ordinal);
        private HashSet<string>? _icpcsHeld;
        private Dictionary<string, ClaPeriod>? _claPeriods;

        private sealed class ClaPeriod(string child)
        {
            public string Child { get; } = child;
            public (LocalDate Start, string Episode)? First { get; set; }
            public (LocalDate Start, string Episode)? Last { get; set; }
        }

        public async Task ImportTableAsync(string table, string file, CancellationToken ct)
        {
            var summary = Summary.Table(table);
            summary.Present = true;
            _group = TableIndex(table);
            var (_, keyColumn, personColumn) = Tables[_group];
            if (table == CpPlans) _icpcsHeld = ScanIcpcs();
            if (table == ClaEpisodes || (table == ClaReviews && _claPeriods is null)) _claPeriods = ScanClaEpisodes();
            // Nothing stored under the table yet (its first night, every table's on a council's first): no chunk of it has
            // anything to compare with, and nothing lands before the night's end, so the chunks' lookups are skipped.
            var stored = await run.HoldsAsync(table, ct);
            // A chunk's lookups (the database's part) run while the chunk before it is mapped (ours): both are about as
            // long, and one after the other they kept one core idle. Everything the summary, the pending events and the
            // snapshot's links see happens in the same order as one chunk at a time.
            LookedUp? waiting = null;
            using var chunks = Rows(file).Chunk(options.ChunkRows).GetEnumerator();
            while (true)
            {
                var deferred = new List<Action>();
                List<Candidate>? candidates;
                try
                {
                    candidates = chunks.MoveNext() ? Candidates(table, keyColumn, summary, chunks.Current, deferred) : null;
                }
                catch
                {
                    // A file that cannot be read further: what was read before it is set aside, as it would have been.
                    if (waiting is not null) await MapAndStageAsync(waiting, keyColumn, personColumn, ct);
                    foreach (var reject in deferred) reject();
                    throw;
                }
                if (candidates is null) break;
                var looking = LookUpAsync(table, candidates, stored, ct);
                if (waiting is not null)
                {
                    try { Map(waiting, keyColumn, personColumn); }
                    catch
                    {
                        try { await looking; } catch (Exception) { /* the mapping's error is the one reported */ }
                        throw;
                    }
                }
                var (earlier, links, prior) = await looking;
                // The chunk before is staged on the run's session once the lookups have let go of it.
                if (waiting is not null) await StagePendingAsync(ct);
                foreach (var reject in deferred) reject();
                // In this snapshot whether or not importable: a row rejected tonight is not a vanished one.
                foreach (var c in candidates.Where(c => earlier.Contains(c.RowKey)))
                    Reject(table, c.Key, c.Row.Line, keyColumn, "the key is on an earlier row of this table too: the row is not imported twice");
                candidates.RemoveAll(c => earlier.Contains(c.RowKey));
                foreach (var c in candidates) Remember(table, c.Key, c.Row);
                waiting = new LookedUp(table, candidates, links, prior);
            }
            if (waiting is not null) await MapAndStageAsync(waiting, keyColumn, personColumn, ct);
        }

        /// <summary>A chunk's rows with what the store and the snapshot hold for them, ready to be mapped.</summary>
        private sealed record LookedUp(string Table, List<Candidate> Candidates, Links Links, SsdPriorState Prior);

        /// <summary>
        /// A chunk's importable rows (keyed, each key once in the chunk). Rejections are returned to be made later, in
        /// the order one chunk at a time would make them (after the chunk before is mapped).
        /// </summary>
        private List<Candidate> Candidates(string table, string keyColumn, SsdTableSummary summary,
            (Dictionary<string, int> Header, string[] Fields, int Line)[] chunk, List<Action> rejections)
        {
            var candidates = new List<Candidate>(chunk.Length);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (header, fields, line) in chunk)
            {
                if (++_rowsRead > options.Limits.MaxRows)
                    throw new ImportFileException($"The SSD tables have more than {SsdRow.Number(options.Limits.MaxRows)} rows, the limit; the import stopped ({options.Limits.RowsAdvice}). What was stored is kept; a re-run appends the rest.");
                summary.RowsRead++;
                var row = new SsdRow(table, header, fields, line, options.AsOf);
                var key = row.Text(keyColumn);
                if (key is null || DoorLimits.KeyProblem(key) is not null || key.Contains('/'))
                {
                    var shown = key is null ? null : SsdRow.Shown(key);
                    var reason = key is null ? "is blank: the row has no key" : DoorLimits.KeyProblem(key) ?? "must not contain '/'";
                    rejections.Add(() => Reject(table, shown, line, keyColumn, reason));
                    continue;
                }
                if (!keys.Add(key))
                {
                    rejections.Add(() => Reject(table, key, line, keyColumn, "the key is on an earlier row of this table too: the row is not imported twice"));
                    continue;
                }
                candidates.Add(new Candidate(row, key, table + "/" + key));
            }
            return candidates;
        }

        /// <summary>
        /// What a chunk's rows need from the database: which are on an earlier row of tonight's snapshot (noted as in it
        /// here), the ids they link to, and what earlier nights stored for them (nothing to read on a table's first night).
        /// Touches nothing of the night's own state, so it runs beside the mapping of the chunk before.
        /// </summary>
        private async Task<(IReadOnlySet<string> Earlier, Links Links, SsdPriorState Prior)> LookUpAsync(
            string table, List<Candidate> candidates, bool stored, CancellationToken ct)
        {
            var earlier = await run.NoteInSnapshotAsync(candidates.Select(c => c.RowKey).ToList(), ct);
            var importable = candidates.Where(c => !earlier.Contains(c.RowKey)).ToList();
            var links = await LinksAsync(table, importable, ct);
            var prior = stored ? await SsdPriorState.ReadAsync(run, importable.Select(c => c.RowKey).ToList(), ct) : new SsdPriorState();
            return (earlier, links, prior);
        }

        private void Map(LookedUp chunk, string keyColumn, string? personColumn)
        {
            _links = chunk.Links;
            Prior = chunk.Prior;
            foreach (var (row, key, rowKey) in chunk.Candidates) ImportRow(chunk.Table, row, key, rowKey, keyColumn, personColumn);
        }

        private async Task MapAndStageAsync(LookedUp chunk, string keyColumn, string? personColumn, CancellationToken ct)
        {
            Map(chunk, keyColumn, personColumn);
            await StagePendingAsync(ct);
        }

        private void ImportRow(string table, SsdRow row, string key, string rowKey, string keyColumn, string? personColumn)
        {
            string? child, childProblem;
            var childColumn = personColumn ?? "clar_cla_id";
            if (personColumn is not null)
            {
                child = row.Text(personColumn);
                childProblem = child is null ? "is blank: the row has no child" : DoorLimits.ChildProblem(child);
            }
            else
            {
                // A looked-after review names its period, not the child: the child is the period's.
                var cla = row.Text(childColumn);
                child = ClaChild(cla);
                childProblem = cla is null ? "is blank: the review belongs to no looked-after period"
                    : child is null ? $"looked-after period '{SsdRow.Shown(cla)}' is in no snapshot (ssd_cla_episodes)" : null;
            }
            if (childProblem is not null)
            {
                row.Problem(childColumn, childProblem);
                RejectRow(row, key);
                return;
            }
            var events = new RowEvents(this, row, key, child!, keyColumn, childColumn);
            Map(table, row, events);
            if (row.Problems.Count == 0) events.CheckDoor();
            if (row.Problems.Count > 0)
            {
                RejectRow(row, key);
                return;
            }
            foreach (var w in events.Warnings) Summary.Warn(new SsdWarning(table, key, w.Column, w.Message));
            Decide(table, key, row.Line, rowKey, events.Events);
        }

        /// <summary>
        /// The ids this chunk's rows link to that are in this snapshot (rows already noted) or an earlier one (events
        /// the store holds, live or retracted): an assessment's referral, a conference's S47, a review's plan, a
        /// looked-after review's period.
        /// </summary>
        private async Task<Links> LinksAsync(string table, IReadOnlyList<Candidate> rows, CancellationToken ct)
        {
            var links = new Links();
            async Task Known(HashSet<string> into, string column, string linkedTable, params string[] slots)
            {
                var ids = rows.Select(c => c.Row.Text(column)).OfType<string>().Where(id => !id.Contains('/')).Distinct(StringComparer.Ordinal).ToList();
                if (ids.Count == 0) return;
                foreach (var row in await run.InSnapshotAsync(ids.Select(id => linkedTable + "/" + id).ToList(), ct)) into.Add(row[(linkedTable.Length + 1)..]);
                var rest = ids.Where(id => !into.Contains(id)).ToList();
                foreach (var key in await run.StoredKeysAsync(rest.SelectMany(id => slots.Select(s => $"{linkedTable}/{id}/{s}")).ToList(), ct))
                    into.Add(key[(linkedTable.Length + 1)..key.LastIndexOf('/')]);
            }
            switch (table)
            {
                case Assessments: await Known(links.Referrals, "cina_referral_id", CinEpisodes, "referral"); break;
                case Icpc: await Known(links.S47s, "icpc_s47_enquiry_id", S47, "start"); break;
                case CpReviews:
                    await Known(links.Plans, "cppr_cp_plan_id", CpPlans, "conference", "end");
                    var unknown = rows.Select(c => c.Row.Text("cppr_cp_plan_id")).OfType<string>().Where(p => !links.Plans.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
                    // A plan an earlier night's conference named.
                    foreach (var plan in (await run.ChildrenByDataAsync(Icpc, nameof(InitialChildProtectionConferenceHeld), "planId", unknown, ct)).Keys) links.Plans.Add(plan);
                    break;
                case ClaReviews:
                    var periods = rows.Select(c => c.Row.Text("clar_cla_id")).OfType<string>().Where(p => _claPeriods?.ContainsKey(p) != true).Distinct(StringComparer.Ordinal).ToList();
                    foreach (var (period, child) in await run.ChildrenByDataAsync(ClaEpisodes, nameof(BecameLookedAfter), "periodId", periods, ct)) links.ClaChildren[period] = child;
                    break;
            }
            return links;
        }

        /// <summary>The snapshot's linked ids, remembered whether or not the row is importable: it is in the snapshot.</summary>
        private void Remember(string table, string key, SsdRow row)
        {
            if (table == CpPlans && row.Text("cppl_icpc_id") is { } icpc) _planOfIcpc.TryAdd(icpc, key);
        }

        private string? ClaChild(string? cla) =>
            cla is null ? null : _claPeriods?.GetValueOrDefault(cla)?.Child ?? _links.ClaChildren.GetValueOrDefault(cla);

        // A rejected row keeps what earlier nights stored for it: a typing error tonight is not a deletion (the row
        // was noted as in the snapshot, so it is not taken for a vanished one either).
        private void RejectRow(SsdRow row, string key)
        {
            foreach (var (column, reason) in row.Problems) Reject(row.Table, key, row.Line, column, reason);
        }

        private void Reject(string table, string? key, int line, string? column, string reason)
        {
            if (_rejectedRows.Add((table, line))) Summary.Table(table).Rejections++;
            Summary.Reject(new SsdRejection(table, key, line, column, reason));
        }

        /// <summary>
        /// Tonight's events of one row against what the store holds for it, slot by slot. A slot's correction (the
        /// old event retracted and the corrected one appended, or a value back to one corrected away) is one unit.
        /// </summary>
        private void Decide(string table, string key, int line, string rowKey, IReadOnlyList<SlotEvent> events)
        {
            var prior = Prior.Of(rowKey);
            var before = _pending.Count;
            if (prior.Count == 0)
            {
                // Nothing stored for the row (every row of a council's first night): each event is new, none is a unit.
                foreach (var slot in events) _pending.Add(new Pending(slot.Event, table, key, line, slot.Column, Change.New));
                if (events.Count == 0) Summary.Table(table).Unchanged++;
                return;
            }
            foreach (var slot in events)
            {
                var held = prior.Where(x => x.Slot == slot.Slot).ToList();
                var same = held.FirstOrDefault(x => x.Id == slot.Event.Id);
                var others = held.Where(x => x.Live && x.Id != slot.Event.Id).ToList();
                var unit = new List<Pending>();
                foreach (var old in others) unit.Add(new Pending(Retraction(old.Id, old.Child, rowKey + "/" + old.Slot), table, key, line, slot.Column, Change.CorrectionRetraction));
                if (same is { Live: true })
                {
                    if (others.Count > 0) Summary.Table(table).Corrections++;
                }
                else if (same is not null)
                {
                    // The value is back to one an earlier night corrected away: the retraction is retracted.
                    foreach (var r in same.LiveRetractions)
                        unit.Add(new Pending(Retraction(r, same.Child, rowKey + "/" + same.Slot), table, key, line, slot.Column, Change.Correction));
                }
                else unit.Add(new Pending(slot.Event, table, key, line, slot.Column, held.Any(x => x.Live) ? Change.Correction : Change.New));
                var id = unit.Count > 1 ? ++_units : 0;
                _pending.AddRange(unit.Select(p => p with { Unit = id }));
            }
            // A date blanked since the last snapshot: the source no longer says it happened.
            foreach (var gone in prior.Where(x => x.Live && events.All(e => e.Slot != x.Slot)))
                _pending.Add(new Pending(Retraction(gone.Id, gone.Child, rowKey + "/" + gone.Slot), table, key, line, null, Change.Retraction));
            if (_pending.Count == before) Summary.Table(table).Unchanged++;
        }

        private PathwayEvent Retraction(Guid target, string child, string sourceKey) => new(
            EventIds.FromName(string.Join('\u001f', SourceSystem, "retraction", options.Tenant, target.ToString(), options.AsOf.ToUnixTimeTicks().ToString())),
            options.Tenant, child, Occurrence.At(options.AsOf), new EventRetracted(target),
            RecordedAt: options.AsOf, SourceSystem: SourceSystem, SourceKey: sourceKey);

        /// <summary>
        /// The rows of each table in this snapshot that earlier snapshots had and this one has not, found in the
        /// database a page at a time among the rows the feed tracks (the snapshot's rows were noted there), their live
        /// events retracted or kept. A row with nothing live left (retracted on an earlier night) is no longer
        /// tracked, so a night reads the rows that vanished since the last one, not every row that ever did.
        /// </summary>
        public async Task VanishedAsync(CancellationToken ct)
        {
            _group = Tables.Count;
            foreach (var (table, _, _) in Tables)
            {
                if (!files.ContainsKey(table)) continue;
                string? after = null;
                do
                {
                    var (page, last) = await run.NotInSnapshotAsync(table, after, options.ChunkRows, ct);
                    after = last;
                    if (page.Count == 0) continue;
                    Prior = await SsdPriorState.ReadAsync(run, page, ct);
                    var dead = new List<string>();
                    foreach (var rowKey in page)
                        if (!Vanished(table, rowKey)) dead.Add(rowKey);
                    await run.ForgetRowsAsync(dead, ct);
                    await StagePendingAsync(ct);
                } while (after is not null);
            }
        }

        /// <summary>Retracts (or keeps) what is live of a vanished row; false when nothing of it is live.</summary>
        private bool Vanished(string table, string rowKey)
        {
            var slots = Prior.Of(rowKey);
            if (!slots.Any(s => s.Live)) return false;
            var key = rowKey[(table.Length + 1)..];
            if (options.Vanished == VanishedRows.Keep)
            {
                Summary.Table(table).VanishedKept++;
                Summary.Warn(new SsdWarning(table, key, null, "the row is not in this snapshot; its events are kept (--vanished keep)"));
                return true;
            }
            foreach (var s in slots.Where(s => s.Live))
                _pending.Add(new Pending(Retraction(s.Id, s.Child, rowKey + "/" + s.Slot), table, key, 0, null, Change.Retraction));
            return true;
        }

        /// <summary>
        /// Sets a chunk's events aside in the run's session (<see cref="ISourceImportRun.StageAsync"/>) instead of
        /// appending them table by table: a child's rows are spread over a dozen tables, and appending each table's
        /// events re-read the child's stream each time and went the row-by-row path for streams an earlier table had
        /// begun. Nothing a later chunk compares with depends on them: a chunk reads what earlier nights stored for its
        /// own rows, and the ids it links to from the rows noted in this snapshot or stored earlier.
        /// </summary>
        private async Task StagePendingAsync(CancellationToken ct)
        {
            if (_pending.Count == 0) return;
            var staged = new List<StagedEvent>(_pending.Count);
            foreach (var p in _pending)
            {
                var pending = p with { Group = _group };
                staged.Add(new StagedEvent(p.Event.Child, pending.Order(++_found), pending.Stage(_stageBuffer)));
            }
            _pending.Clear();
            await run.StageAsync(staged, ct);
        }

        /// <summary>
        /// Appends the night's events, whole children at a time, each child's events of every table in one append (a
        /// new child's in one COPY): two pages are appended at once (<see cref="PagesInFlight"/>) while the next is read,
        /// and counted in order.
        /// </summary>
        public async Task AppendStagedAsync(CancellationToken ct)
        {
            await using var settle = new SettleOnFailure(this);
            await foreach (var page in run.ReadStagedAsync(options.BatchEvents, ct))
            {
                var batch = page.Select(e => Pending.Unstage(e.Payload)).ToList();
                while (_appending.Count >= PagesInFlight) await SettleAsync();
                _appending.Enqueue(AppendPageAsync(batch, ct));
            }
            while (_appending.Count > 0) await SettleAsync();
        }

        /// <summary>
        /// A page of children's events, in each child's order. Without corrections, one append (its events are decided
        /// in order, so each table's retractions still come before its new events); with them, table by table as
        /// <see cref="AppendBatchAsync"/> does, so that a correction meets the records of the tables before it.
        /// </summary>
        private async Task<List<Action>> AppendPageAsync(List<Pending> batch, CancellationToken ct)
        {
            var counts = new List<Action>();
            if (batch.All(p => p.Unit == 0))
            {
                await AppendAsync(batch, counts, ct);
                return counts;
            }
            foreach (var group in batch.GroupBy(p => p.Group).OrderBy(g => g.Key))
                counts.AddRange(await AppendBatchAsync(group.ToList(), ct));
            return counts;
        }

        /// <summary>Waits for the oldest page in flight and counts what it did (the summary is only touched here, never by the append).</summary>
        private async Task SettleAsync()
        {
            foreach (var counted in await _appending.Dequeue()) counted();
        }

        /// <summary>A table or the vanished rows stopped by an error: the pages in flight are waited for before the run's lock is let go.</summary>
        private sealed class SettleOnFailure(Night night) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                while (night._appending.TryDequeue(out var appending))
                {
                    try { await appending; }
                    catch (Exception) { /* the error that stopped the night is the one reported */ }
                }
            }
        }

        /// <summary>
        /// Appends a batch: retractions of blanked and vanished values first (a corrected start may otherwise meet the
        /// old stop), then each correction as one unit, then what is new. Returns what to count, in order.
        /// </summary>
        private async Task<List<Action>> AppendBatchAsync(List<Pending> batch, CancellationToken ct)
        {
            var counts = new List<Action>();
            await AppendAsync(batch.Where(p => p.Phase == 0).ToList(), counts, ct);
            await AppendUnitsAsync(batch.Where(p => p.Phase == 1).ToList(), counts, ct);
            await AppendAsync(batch.Where(p => p.Phase == 2).ToList(), counts, ct);
            return counts;
        }

        private async Task AppendAsync(List<Pending> batch, List<Action> counts, CancellationToken ct)
        {
            if (batch.Count == 0) return;
            var outcome = await importer.Appender.AppendAsync(batch.Select(p => p.Event).ToList(), AppendSource.Import, allOrNothing: false, ct: ct);
            counts.Add(() => Count(batch, outcome));
        }

        /// <summary>
        /// Corrections as one all-or-nothing append: the old event's retraction never lands without its corrected
        /// event. A refused append names the rejected events; their units are left out (the old value stays, the
        /// row is reported) and the rest appended again, decided afresh.
        /// </summary>
        private async Task AppendUnitsAsync(List<Pending> batch, List<Action> counts, CancellationToken ct)
        {
            while (batch.Count > 0)
            {
                var outcome = await importer.Appender.AppendAsync(batch.Select(p => p.Event).ToList(), AppendSource.Import, allOrNothing: true, ct: ct);
                if (!outcome.Refused)
                {
                    var appended = batch;
                    counts.Add(() => Count(appended, outcome));
                    return;
                }
                var refused = new HashSet<int>();
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcome.Events[i].Fate != EventFate.Rejected) continue;
                    var p = batch[i];
                    refused.Add(p.Unit);
                    foreach (var problem in outcome.Events[i].Problems)
                        counts.Add(() => Reject(p.Table, p.Key, p.Line, p.Column ?? problem.Field, $"{p.Event.Type}: {problem.Message}; the correction is not applied, the value stored earlier stays"));
                }
                batch = batch.Where(p => !refused.Contains(p.Unit)).ToList();
            }
        }

        private void Count(List<Pending> batch, AppendOutcome outcome)
        {
            Summary.EventsAppended += outcome.Appended;
            Summary.EventsAlreadyPresent += outcome.AlreadyPresent;
            for (var i = 0; i < batch.Count; i++)
            {
                var (p, result) = (batch[i], outcome.Events[i]);
                var table = Summary.Table(p.Table);
                switch (result.Fate)
                {
                    case EventFate.Appended:
                        switch (p.Change)
                        {
                            case Change.New: table.NewEvents++; break;
                            case Change.Correction: table.Corrections++; break;
                            case Change.Retraction: table.Retractions++; break;
                        }
                        break;
                    case EventFate.Rejected:
                        foreach (var problem in result.Problems)
                            Reject(p.Table, p.Key, p.Line, p.Column ?? problem.Field, $"{p.Event.Type}: {problem.Message}");
                        break;
                }
            }
        }

        /// <summary>The conferences this snapshot holds with a date: a plan whose conference is not among them gets a stand-in.</summary>
        private HashSet<string> ScanIcpcs()
        {
            var held = new HashSet<string>(StringComparer.Ordinal);
            if (!files.TryGetValue(Icpc, out var file)) return held;
            foreach (var (header, fields, line) in Rows(file))
            {
                var row = new SsdRow(Icpc, header, fields, line, options.AsOf);
                if (row.Text("icpc_icpc_id") is { } id && row.Text("icpc_icpc_date") is not null) held.Add(id);
            }
            return held;
        }

        /// <summary>
        /// Each looked-after period's first and last placement episode: the SSD's episodes end at every change
        /// of placement, so the period starts with the first and ends with the last one's ceased date.
        /// </summary>
        private Dictionary<string, ClaPeriod> ScanClaEpisodes()
        {
            var periods = new Dictionary<string, ClaPeriod>(StringComparer.Ordinal);
            if (!files.TryGetValue(ClaEpisodes, out var file)) return periods;
            foreach (var (header, fields, line) in Rows(file))
            {
                var row = new SsdRow(ClaEpisodes, header, fields, line, options.AsOf);
                if (row.Text("clae_cla_id") is not { } cla || row.Text("clae_person_id") is not { } child || row.Text("clae_cla_episode_id") is not { } episode) continue;
                if (!periods.TryGetValue(cla, out var period)) periods[cla] = period = new ClaPeriod(child);
                if (row.Date("clae_cla_episode_start_date") is not { } start) continue;
                if (period.First is not { } f || start.Date < f.Start || (start.Date == f.Start && string.CompareOrdinal(episode, f.Episode) < 0)) period.First = (start.Date, episode);
                if (period.Last is not { } l || start.Date > l.Start || (start.Date == l.Start && string.CompareOrdinal(episode, l.Episode) > 0)) period.Last = (start.Date, episode);
            }
            return periods;
        }

        private void Map(string table, SsdRow row, RowEvents e)
        {
            switch (table)
            {
                case Contacts: MapContact(row, e); break;
                case EarlyHelp: MapEarlyHelp(row, e); break;
                case CinEpisodes: MapReferral(row, e); break;
                case Assessments: MapAssessment(row, e); break;
                case S47: MapS47(row, e); break;
                case CpPlans: MapCpPlan(row, e); break;
                case Icpc: MapIcpc(row, e); break;
                case CpReviews: MapCpReview(row, e); break;
                case CinPlans: MapCinPlan(row, e); break;
                case ClaEpisodes: MapClaEpisode(row, e); break;
                case ClaReviews: MapClaReview(row, e); break;
                case Missing: MapMissing(row, e); break;
                case Involvements: MapInvolvement(row, e); break;
            }
        }

        private static void MapContact(SsdRow row, RowEvents e)
        {
            var at = row.Date("cont_contact_date", required: true, "contact");
            row.Flags("cont_contact_outcome_json");
            var source = row.Text("cont_contact_source_desc") ?? row.Text("cont_contact_source_code");
            // The SSD does not say whether the contact came through the MASH or the early help access point.
            if (at is { } a) e.Add("contact", "cont_contact_date", a, new ContactReceived(e.Key, ContactRoute.Unknown, source?.ToLowerInvariant()),
                ("data.source", row.Text("cont_contact_source_desc") is null ? "cont_contact_source_code" : "cont_contact_source_desc"));
        }

        private static void MapEarlyHelp(SsdRow row, RowEvents e)
        {
            var start = row.Date("earl_episode_start_date", required: true, "early help episode");
            var end = row.Date("earl_episode_end_date");
            if (start is { } s && end is { } en && en.Date < s.Date) row.Problem("earl_episode_end_date", $"the episode ended ({en}) before it started ({s})");
            if (start is not { } st) return;
            // An early help episode starts with consent; the SSD has no date the assessment was completed.
            e.Add("start", "earl_episode_start_date", st, new EarlyHelpConsentGiven(e.Key));
            e.Allocation(st, null, "earl_episode_worker_id", "earl_episode_start_date");
        }

        private static void MapReferral(SsdRow row, RowEvents e)
        {
            var referred = row.Date("cine_referral_date", required: true, "referral");
            var closed = row.Date("cine_close_date");
            row.Flags("cine_referral_outcome_json");
            var nfa = row.Flag("cine_referral_nfa");
            if (referred is not { } r) return;
            if (closed is { } c && c.Date < r.Date)
            {
                row.Problem("cine_close_date", $"the referral closed ({c}) before it was received ({r})");
                return;
            }
            e.Add("referral", "cine_referral_date", r, new ReferralReceived(e.Key, Source: row.Text("cine_referral_source_code")), ("data.source", "cine_referral_source_code"));
            e.Allocation(r, "cine_referral_team", "cine_referral_worker_id", "cine_referral_date");
            if (closed is { } closedAt)
            {
                // The SSD has no decision date; a referral marked NFA and closed the day it came in was decided that day.
                if (nfa == true && closedAt.Date == r.Date) e.Add("nfa_decision", "cine_referral_nfa", closedAt, new ReferralDecisionMade(e.Key, ReferralOutcome.Nfa));
                e.Add("close", "cine_close_date", closedAt, new CaseClosed(e.Key));
            }
        }

        private void MapAssessment(SsdRow row, RowEvents e)
        {
            var start = row.Date("cina_assessment_start_date", required: true, "assessment");
            var authorised = row.Date("cina_assessment_auth_date");
            var nfa = row.Flag("cina_assessment_outcome_nfa");
            var referral = row.Text("cina_referral_id");
            if (start is { } s && authorised is { } a && a.Date < s.Date)
                row.Problem("cina_assessment_auth_date", $"authorised {a}, before the assessment started ({s})");
            if (referral is not null && !_links.Referrals.Contains(referral))
                row.Problem("cina_referral_id", $"referral '{SsdRow.Shown(referral)}' is in no snapshot (ssd_cin_episodes): the assessment cannot be linked");
            if (start is not { } started) return;
            if (referral is null) e.Warn("cina_referral_id", "is blank: the assessment is imported without its referral, so only its own duration is measured");
            e.Add("start", "cina_assessment_start_date", started, new AssessmentStarted(e.Key, referral), ("data.referralId", "cina_referral_id"));
            e.Allocation(started, "cina_assessment_team", "cina_assessment_worker_id", "cina_assessment_start_date");
            if (authorised is { } done)
                e.Add("auth", "cina_assessment_auth_date", done, new AssessmentAuthorised(e.Key, nfa switch { true => AssessmentOutcome.Nfa, false => AssessmentOutcome.Services, null => null }));
        }

        private static void MapS47(SsdRow row, RowEvents e)
        {
            var start = row.Date("s47e_s47_start_date", required: true, "enquiry");
            var end = row.Date("s47e_s47_end_date");
            var flags = row.Flags("s47e_s47_outcome_json");
            var nfa = row.Flag("s47e_s47_nfa");
            if (start is { } s && end is { } en && en.Date < s.Date) row.Problem("s47e_s47_end_date", $"the enquiry ended ({en}) before it started ({s})");
            if (start is not { } started) return;
            e.Add("start", "s47e_s47_start_date", started, new Section47Started(e.Key));
            e.Allocation(started, "s47e_s47_completed_by_team", "s47e_s47_completed_by_worker_id", "s47e_s47_start_date");
            // Whether a conference is needed: the outcome's CP_CONFERENCE_FLAG, else "no further action".
            bool? conference = flags.TryGetValue("CP_CONFERENCE_FLAG", out var cp) ? cp : nfa == true ? false : null;
            if (end is { } ended && conference is { } required)
                e.Add("end", "s47e_s47_end_date", ended, new Section47Completed(e.Key, required));
        }

        private void MapCpPlan(SsdRow row, RowEvents e)
        {
            var start = row.Date("cppl_cp_plan_start_date", required: true, "plan");
            var end = row.Date("cppl_cp_plan_end_date");
            if (start is { } s && end is { } en && en.Date < s.Date) row.Problem("cppl_cp_plan_end_date", $"the plan ended ({en}) before it started ({s})");
            if (start is not { } started) return;
            // A plan starts at a conference; when that conference is not in the snapshot, a stand-in on the
            // plan's start date starts its review clocks (it names no enquiry of the SSD, so starts no icpc clock).
            if (row.Text("cppl_icpc_id") is not { } icpc || _icpcsHeld is null || !_icpcsHeld.Contains(icpc))
                e.Add("conference", "cppl_cp_plan_start_date", started, new InitialChildProtectionConferenceHeld($"SSD-CPPL-{e.Key}", e.Key));
            if (end is { } ended) e.Add("end", "cppl_cp_plan_end_date", ended, new ChildProtectionPlanEnded(e.Key));
        }

        private void MapIcpc(SsdRow row, RowEvents e)
        {
            var held = row.Date("icpc_icpc_date");
            var madePlan = row.Flag("icpc_icpc_outcome_cp_flag");
            row.Flag("icpc_icpc_transfer_in");
            var s47 = row.Text("icpc_s47_enquiry_id");
            if (s47 is not null && !_links.S47s.Contains(s47))
                row.Problem("icpc_s47_enquiry_id", $"S47 enquiry '{SsdRow.Shown(s47)}' is in no snapshot (ssd_s47_enquiry): the conference cannot be linked");
            if (held is not { } at) return;
            var plan = madePlan == false ? null : row.Text("icpc_cp_plan_id") ?? _planOfIcpc.GetValueOrDefault(e.Key);
            // A transfer-in conference has no enquiry here: it stands for itself, so it starts no icpc clock.
            e.Add("conference", "icpc_icpc_date", at, new InitialChildProtectionConferenceHeld(s47 ?? $"SSD-ICPC-{e.Key}", plan),
                ("data.s47Id", "icpc_s47_enquiry_id"), ("data.planId", "icpc_cp_plan_id"));
        }

        private void MapCpReview(SsdRow row, RowEvents e)
        {
            var held = row.Date("cppr_cp_review_date");
            var plan = row.Text("cppr_cp_plan_id");
            if (plan is null) row.Problem("cppr_cp_plan_id", "is blank: the review belongs to no plan");
            else if (!_links.Plans.Contains(plan))
                row.Problem("cppr_cp_plan_id", $"plan '{SsdRow.Shown(plan)}' is in no snapshot (ssd_cp_plans): the review cannot be linked");
            if (held is { } at && plan is not null) e.Add("review", "cppr_cp_review_date", at, new ChildProtectionReviewHeld(plan), ("data.planId", "cppr_cp_plan_id"));
        }

        private static void MapCinPlan(SsdRow row, RowEvents e)
        {
            var start = row.Date("cinp_cin_plan_start_date", required: true, "plan");
            var end = row.Date("cinp_cin_plan_end_date");
            if (start is { } s && end is { } en && en.Date < s.Date) row.Problem("cinp_cin_plan_end_date", $"the plan ended ({en}) before it started ({s})");
            if (start is not { } started) return;
            e.Add("start", "cinp_cin_plan_start_date", started, new ChildInNeedPlanStarted(e.Key));
            e.Allocation(started, "cinp_cin_plan_team", "cinp_cin_plan_worker_id", "cinp_cin_plan_start_date");
            if (end is { } ended) e.Add("end", "cinp_cin_plan_end_date", ended, new ChildInNeedPlanEnded(e.Key));
        }

        private void MapClaEpisode(SsdRow row, RowEvents e)
        {
            var start = row.Date("clae_cla_episode_start_date", required: true, "episode");
            var ceased = row.Date("clae_cla_episode_ceased_date");
            var entered = row.Date("clae_entered_care_date");
            var cla = row.Text("clae_cla_id");
            if (cla is null) row.Problem("clae_cla_id", "is blank: the episode belongs to no looked-after period");
            if (start is { } s && ceased is { } c && c.Date < s.Date) row.Problem("clae_cla_episode_ceased_date", $"the episode ceased ({c}) before it started ({s})");
            if (start is not { } started || cla is null || _claPeriods?.GetValueOrDefault(cla) is not { } period) return;
            if (period.First?.Episode == e.Key)
                e.Add("became_looked_after", entered is null ? "clae_cla_episode_start_date" : "clae_entered_care_date", entered ?? started, new BecameLookedAfter(cla), ("data.periodId", "clae_cla_id"));
            if (period.Last?.Episode == e.Key && ceased is { } end)
                e.Add("ceased_looked_after", "clae_cla_episode_ceased_date", end, new CeasedLookedAfter(cla), ("data.periodId", "clae_cla_id"));
        }

        private static void MapClaReview(SsdRow row, RowEvents e)
        {
            var held = row.Date("clar_cla_review_date");
            var cancelled = row.Flag("clar_cla_review_cancelled");
            if (held is { } at && cancelled != true)
                e.Add("review", "clar_cla_review_date", at, new LookedAfterReviewHeld(row.Text("clar_cla_id")!), ("data.periodId", "clar_cla_id"));
        }

        private static void MapMissing(SsdRow row, RowEvents e)
        {
            var start = row.Date("miss_missing_episode_start_date", required: true, "missing episode");
            var end = row.Date("miss_missing_episode_end_date");
            row.Flag("miss_missing_rhi_offered");
            row.Flag("miss_missing_rhi_accepted");
            if (start is { } s && end is { } en && en.ToInstant() < s.ToInstant()) row.Problem("miss_missing_episode_end_date", $"the child returned ({en}) before going missing ({s})");
            if (start is not { } gone) return;
            e.Add("missing", "miss_missing_episode_start_date", gone, new ChildWentMissing(e.Key));
            // The return interview's offer and acceptance are flags without dates: not imported.
            if (end is { } back) e.Add("returned", "miss_missing_episode_end_date", back, new ChildReturned(e.Key));
        }

        private static void MapInvolvement(SsdRow row, RowEvents e)
        {
            var start = row.Date("invo_involvement_start_date", required: true, "involvement");
            var end = row.Date("invo_involvement_end_date");
            if (start is { } s && end is { } en && en.Date < s.Date) row.Problem("invo_involvement_end_date", $"the involvement ended ({en}) before it started ({s})");
            if (start is { } from) e.Allocation(from, "invo_professional_team", "invo_professional_id", "invo_involvement_start_date");
        }

        /// <summary>A row's events under construction, each with its slot and the column its date came from.</summary>
        private sealed class RowEvents(Night night, SsdRow row, string key, string child, string keyColumn, string childColumn)
        {
            public string Key { get; } = key;
            public List<SlotEvent> Events { get; } = [];
            public List<(string Column, string Message)> Warnings { get; } = [];
            private readonly Dictionary<string, string> _dataColumns = new(StringComparer.Ordinal);

            public void Warn(string column, string message) => Warnings.Add((column, message));

            public void Add(string slot, string column, Occurrence occurred, IPathwayEventData data, params (string Field, string Column)[] dataColumns)
            {
                var tenant = night.Options.Tenant;
                var id = EventIds.FromName([SourceSystem, tenant, row.Table, Key, slot, child, EventTypes.NameOf(data), occurred.ToString()], data);
                var e = new PathwayEvent(id, tenant, child, occurred, data, RecordedAt: night.Options.AsOf,
                    SourceSystem: SourceSystem, SourceKey: $"{row.Table}/{Key}/{slot}");
                foreach (var (field, c) in dataColumns) _dataColumns[$"{slot}:{field}"] = c;
                Events.Add(new SlotEvent(slot, column, e));
            }

            /// <summary>Who holds the case from the record's start: its own team and worker fields, when either is given.</summary>
            public void Allocation(Occurrence at, string? teamColumn, string workerColumn, string dateColumn)
            {
                var team = teamColumn is null ? null : row.Text(teamColumn);
                var worker = row.Text(workerColumn);
                if (team is null && worker is null) return;
                Add("allocation", dateColumn, at, new CaseAllocated(team, worker),
                    ("data.team", teamColumn ?? workerColumn), ("data.worker", workerColumn));
            }

            /// <summary>The door's limits on every event of the row; a breach rejects the row, naming the column.</summary>
            public void CheckDoor()
            {
                foreach (var slot in Events)
                foreach (var error in DoorLimits.Check(slot.Event))
                {
                    var column = error.Field switch
                    {
                        "child" => childColumn,
                        "occurredAt" or "recordedAt" => slot.Column,
                        _ => _dataColumns.GetValueOrDefault($"{slot.Slot}:{error.Field}") ?? keyColumn,
                    };
                    if (!row.Problems.Contains((column, error.Message))) row.Problem(column, error.Message);
                }
            }
        }

        private SsdOptions Options => options;
    }

    private PathwayAppender Appender => appender;

    private sealed record SlotEvent(string Slot, string Column, PathwayEvent Event);
}
