using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Events;
using CasePathway.Store;
using NodaTime;

namespace CasePathway.Import.JsonLines;

/// <summary>Stores one batch of an import's events and says how many were new (<see cref="ImportAppend"/>: the one way in).</summary>
public delegate Task<AppendCounts> AppendEvents(IReadOnlyList<PathwayEvent> events, CancellationToken ct);

/// <summary>
/// A JSON Lines file of contract envelopes, one per line, read as a stream so that memory does not grow with
/// the file. Two passes: the first validates every line with the event codec (and finds an id repeated with
/// other content); a file with any bad line stores nothing and names every bad line. The second reads the
/// file again and commits it in batches of <see cref="ImportLimits.BatchEvents"/>. Each batch is its own
/// transaction, so an import stopped half-way (a crash, a conflict with an event already stored) keeps what
/// it committed, and running it again appends only what is missing: ids are the file's own.
/// </summary>
public static class JsonLinesImporter
{
    /// <summary>More rejections than this are counted but not listed: a wrong file would otherwise list every line.</summary>
    public const int MaxListedRejections = 1000;

    public static Task<ImportSummary> ImportAsync(string path, AppendEvents append, Instant? now = null, ImportLimits? limits = null, CancellationToken ct = default)
    {
        if (Directory.Exists(path)) throw new ImportFileException($"{path} is a folder, not a JSON Lines file.");
        if (!File.Exists(path)) throw new ImportFileException($"{path} does not exist.");
        return ImportAsync(() => new StreamReader(path, detectEncodingFromByteOrderMarks: true), append, now, limits, ct);
    }

    /// <param name="open">Opens the text from its start; called once per pass.</param>
    /// <param name="now">Given, an event that has not happened yet is rejected (the CLI gives the time of the import).</param>
    public static async Task<ImportSummary> ImportAsync(Func<TextReader> open, AppendEvents append, Instant? now = null, ImportLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= ImportLimits.Default;
        var check = Validate(open, now, limits, ct);
        if (check.RowsRejected > 0)
            return new ImportSummary(check.Rows, 0, 0, check.RowsRejected, check.Rejections, []);

        var (appended, alreadyPresent) = (0, 0);
        var refused = new List<Rejection>();
        var batch = new List<(int Line, PathwayEvent Event)>(Math.Min(limits.BatchEvents, 1 << 16));
        async Task CommitAsync()
        {
            try
            {
                var counts = await append(batch.Select(x => x.Event).ToList(), ct);
                (appended, alreadyPresent) = (appended + counts.Appended, alreadyPresent + counts.AlreadyPresent);
                foreach (var r in counts.Refused)
                    if (refused.Count < MaxListedRejections)
                        refused.Add(new Rejection(null, r.Event.Child, batch.First(x => x.Event.Id == r.Event.Id).Line, r.Field, r.Message));
            }
            catch (EventIdConflictException e)
            {
                var line = batch.FirstOrDefault(x => x.Event.Id == e.EventId).Line;
                throw new ImportFileException(
                    $"Line {line}: event {e.EventId} is already stored with different content. The import stopped there: " +
                    $"{appended} events of earlier lines were stored. A correction is a new event (or EventRetracted); " +
                    "once the line is corrected, importing the file again appends only what is missing.", e);
            }
            batch.Clear();
        }

        using (var reader = open())
        {
            foreach (var (number, line) in Lines(reader, limits.MaxLineCharacters))
            {
                ct.ThrowIfCancellationRequested();
                if (line is null || string.IsNullOrWhiteSpace(line)) continue;
                var e = EventJson.Parse(line, now).Value
                    ?? throw new ImportFileException($"Line {number} changed while the file was being imported; nothing after line {number - 1} was stored.");
                if (check.FirstLineOf[e.Id].Line != number) continue; // a repeat of an earlier line: the same event
                batch.Add((number, e));
                if (batch.Count >= limits.BatchEvents) await CommitAsync();
            }
        }
        if (batch.Count > 0) await CommitAsync();
        return new ImportSummary(check.Rows, appended, alreadyPresent, refused.Select(r => r.Row).Distinct().Count(), refused, []);
    }

    private sealed record Validation(int Rows, int RowsRejected, IReadOnlyList<Rejection> Rejections, Dictionary<Guid, (int Line, ulong Content)> FirstLineOf);

    /// <summary>
    /// The first pass. What it keeps grows with the number of distinct ids (a line number and a 64-bit digest
    /// of the content each, about 50 bytes), never with the events themselves.
    /// </summary>
    private static Validation Validate(Func<TextReader> open, Instant? now, ImportLimits limits, CancellationToken ct)
    {
        var rejections = new List<Rejection>();
        var first = new Dictionary<Guid, (int Line, ulong Content)>();
        var (rows, rejectedRows, unlisted) = (0, 0, 0);
        void Reject(Rejection r, bool newRow)
        {
            if (newRow) rejectedRows++;
            if (rejections.Count < MaxListedRejections) rejections.Add(r);
            else unlisted++;
        }

        using (var reader = open())
        {
            foreach (var (number, line) in Lines(reader, limits.MaxLineCharacters))
            {
                ct.ThrowIfCancellationRequested();
                if (line is not null && string.IsNullOrWhiteSpace(line)) continue;
                rows++;
                if (line is null)
                {
                    Reject(new Rejection(null, null, number, "$", $"the line is longer than {limits.MaxLineCharacters:#,0} characters, far more than any event"), true);
                    continue;
                }
                var parsed = EventJson.Parse(line, now);
                if (!parsed.IsValid)
                {
                    // Line and position inside a one-line document: the position is what helps.
                    for (var i = 0; i < parsed.Errors.Count; i++)
                        Reject(new Rejection(null, null, number, parsed.Errors[i].Field, parsed.Errors[i].Message), i == 0);
                    continue;
                }
                var e = parsed.Value!;
                var content = Digest(EventJson.Serialize(e));
                if (first.TryGetValue(e.Id, out var earlier))
                {
                    if (earlier.Content != content)
                        Reject(new Rejection(null, e.Child, number, "id", $"the same id as line {earlier.Line} with different content"), true);
                    continue;
                }
                first[e.Id] = (number, content);
            }
        }
        if (unlisted > 0) rejections.Add(new Rejection(null, null, 0, null, $"and {unlisted:#,0} more problems, not listed: correct the ones above first"));
        return new Validation(rows, rejectedRows, rejections, first);
    }

    private static ulong Digest(string canonical) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    /// <summary>
    /// Lines numbered from 1 (a line ends at \n, \r\n or \r, as <see cref="TextReader.ReadLine"/> has it);
    /// a line longer than <paramref name="max"/> characters is skipped unread and given as null, so one
    /// endless line cannot take the memory.
    /// </summary>
    public static IEnumerable<(int Number, string? Text)> Lines(TextReader reader, int max)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        var (number, tooLong, afterCr, any) = (0, false, false, false);
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (afterCr)
                {
                    afterCr = false;
                    if (c == '\n') continue;
                }
                if (c is '\n' or '\r')
                {
                    afterCr = c == '\r';
                    yield return (++number, tooLong ? null : line.ToString());
                    (tooLong, any) = (false, false);
                    line.Clear();
                    continue;
                }
                any = true;
                if (tooLong) continue;
                if (line.Length == max)
                {
                    tooLong = true;
                    line.Clear();
                    continue;
                }
                line.Append(c);
            }
        }
        if (any) yield return (++number, tooLong ? null : line.ToString());
    }
}
