using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Events;

/// <summary>
/// The limits every event meets before anything stores it, whichever door it came in by (the HTTP API,
/// JSON Lines, Annex A, the CIN census, the demo): ids and text of bounded length and printable, tenant and
/// child ids that are safe in a web address, no nil ids, and dates the working calendar can count from
/// (docs/contract.md, "Limits at the door"). The codec applies them field by field as it reads; importers
/// that build events themselves call <see cref="Check"/>. Query parameters use the same rules.
/// </summary>
public static class DoorLimits
{
    /// <summary>Tenant and child ids: short codes (a DfE LA code, a case system's person id).</summary>
    public const int MaxTenantLength = 64, MaxChildLength = 64;

    /// <summary>Ids in data, recordedBy, sourceSystem, sourceKey, correlationId, rule names.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>Free text in data (team, worker, source).</summary>
    public const int MaxTextLength = 1000;

    /// <summary>
    /// Earlier dates are typing errors or placeholders (0001-01-01, 1900-01-01) that the working calendar
    /// would otherwise be asked to count from. Not 1990, although no child now in care was referred before
    /// it: DfE's own CIN census validator samples, which the import tests count clocks from, date records
    /// in 1970 and 1971.
    /// </summary>
    public static readonly LocalDate EarliestDate = new(1970, 1, 1);

    /// <summary>
    /// The last date accepted even without a "now" to compare with: a century inside the working calendar's
    /// last year, so that every deadline counted from an accepted date is still inside the calendar.
    /// </summary>
    public static readonly LocalDate LatestDate = new(2099, 12, 31);

    /// <summary>How far ahead of the receiving clock an event may say it happened (clocks of case systems drift).</summary>
    public static readonly Duration ClockSkew = Duration.FromMinutes(5);

    // Compared as instants, never converted to London time first: an absurd instant (year 9999 with a
    // negative offset) must be refused, not overflow the conversion.
    private static readonly Instant EarliestInstant = EarliestDate.AtStartOfDayInZone(London.Zone).ToInstant();
    private static readonly Instant AfterLatestInstant = LatestDate.PlusDays(1).AtStartOfDayInZone(London.Zone).ToInstant();

    /// <summary>The characters of a tenant or child id: RFC 3986's unreserved set, which a URL path segment carries as it is.</summary>
    public const string SegmentCharacters = "letters A–Z and a–z, digits 0–9, '-', '_', '.' and '~'";

    private static readonly FrozenSet<char> SegmentPunctuation = new[] { '-', '_', '.', '~' }.ToFrozenSet();

    /// <summary>
    /// Every problem of an event built by an importer (the codec finds the same ones as it reads). Field
    /// names are the envelope's (<c>child</c>, <c>data.team</c>), for the importer to map to its columns.
    /// With <paramref name="now"/>, an event that has not happened yet (beyond <see cref="ClockSkew"/>) is refused too.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(PathwayEvent e, Instant? now = null)
    {
        // No list until a problem is found: every event of every import passes here, nearly all of them clean.
        List<FieldError>? errors = null;
        Add(ref errors, "id", IdProblem(e.Id));
        Add(ref errors, "tenant", TenantProblem(e.Tenant));
        Add(ref errors, "child", ChildProblem(e.Child));
        var occurredProblem = OccurredProblem(e.OccurredAt, now);
        Add(ref errors, "occurredAt", occurredProblem);
        if (e.RecordedAt is { } recorded) Add(ref errors, "recordedAt", RecordedProblem(recorded, occurredProblem is null ? e.OccurredAt : null, now));
        if (e.RecordedBy is not null) Add(ref errors, "recordedBy", KeyProblem(e.RecordedBy));
        if (e.SourceSystem is not null) Add(ref errors, "sourceSystem", KeyProblem(e.SourceSystem));
        if (e.SourceKey is not null) Add(ref errors, "sourceKey", KeyProblem(e.SourceKey));
        if (e.CorrelationId is not null) Add(ref errors, "correlationId", KeyProblem(e.CorrelationId));
        foreach (var field in EventDataShape.Of(e.Data.GetType()).Fields)
        {
            if (field.Kind is not (DataFieldKind.Text or DataFieldKind.Uuid) || field.Read(e.Data) is not { } value) continue;
            var problem = field.Kind == DataFieldKind.Text ? DataTextProblem(field, (string)value) : IdProblem((Guid)value);
            if (problem is not null) (errors ??= []).Add(new FieldError($"data.{field.Name}", problem));
        }
        return errors ?? (IReadOnlyList<FieldError>)[];

        static void Add(ref List<FieldError>? errors, string field, string? problem)
        {
            if (problem is not null) (errors ??= []).Add(new FieldError(field, problem));
        }
    }

    public static string? IdProblem(Guid id) =>
        id == Guid.Empty ? "must not be the nil UUID (00000000-0000-0000-0000-000000000000): give the event's own id" : null;

    public static string? TenantProblem(string? text) => SegmentProblem(text, MaxTenantLength);

    public static string? ChildProblem(string? text) => SegmentProblem(text, MaxChildLength);

    /// <summary>An id or name (data ids, recordedBy, sourceSystem, sourceKey, correlationId): printable, at most <see cref="MaxKeyLength"/>.</summary>
    public static string? KeyProblem(string text) => TextProblem(text, MaxKeyLength);

    /// <summary>Free text (team, worker, source): printable, at most <see cref="MaxTextLength"/>.</summary>
    public static string? FreeTextProblem(string text) => TextProblem(text, MaxTextLength);

    internal static string? DataTextProblem(DataField field, string text) =>
        field.IsKey ? KeyProblem(text) : FreeTextProblem(text);

    /// <summary>An occurrence inside the accepted dates and, given <paramref name="now"/>, not in the future.</summary>
    public static string? OccurredProblem(Occurrence occurred, Instant? now = null)
    {
        if (occurred.Instant is { } instant ? instant < EarliestInstant : occurred.Date < EarliestDate)
            return $"{occurred} is before {Earliest}, the earliest date accepted";
        if (occurred.Instant is { } late ? late >= AfterLatestInstant : occurred.Date > LatestDate)
            return $"{occurred} is after {Latest}, the latest date accepted";
        if (now is not { } n) return null;
        var latest = n + ClockSkew;
        var future = occurred.IsDateOnly ? occurred.Date > London.DateOf(latest) : occurred.ToInstant() > latest;
        return future ? $"{occurred} is in the future (it is now {OccurrenceText.Format(n)}): send an event once it has happened" : null;
    }

    /// <summary>A recording inside the accepted dates, not before the occurrence (when given) and, given <paramref name="now"/>, not in the future.</summary>
    public static string? RecordedProblem(Instant recorded, Occurrence? occurred, Instant? now = null)
    {
        if (recorded < EarliestInstant) return $"{OccurrenceText.Format(recorded)} is before {Earliest}, the earliest date accepted";
        if (recorded >= AfterLatestInstant) return $"{OccurrenceText.Format(recorded)} is after {Latest}, the latest date accepted";
        if (occurred is { } o && recorded < o.ToInstant()) return $"is before occurredAt ({o}): nothing is recorded before it happens";
        if (now is { } n && recorded > n + ClockSkew) return $"{OccurrenceText.Format(recorded)} is in the future (it is now {OccurrenceText.Format(n)})";
        return null;
    }

    /// <summary>An instant to look from (<c>asAt</c>): inside the accepted dates (the future is allowed: what will be due).</summary>
    public static string? AsAtProblem(Instant asAt) =>
        asAt < EarliestInstant || asAt >= AfterLatestInstant ? $"must be between {Earliest} and {Latest}" : null;

    /// <summary>A reporting month inside the accepted dates.</summary>
    public static string? MonthProblem(YearMonth month) =>
        month.OnDayOfMonth(1) < EarliestDate.With(DateAdjusters.StartOfMonth) || month.OnDayOfMonth(1) > LatestDate
            ? $"must be a month from {EarliestDate:uuuu-MM} to {LatestDate:uuuu-MM}"
            : null;

    /// <summary>
    /// Text as a message may quote it: at most <paramref name="max"/> characters (then '…'), anything unprintable
    /// shown as '�', so that a rejection neither echoes a megabyte back nor writes control characters to a terminal.
    /// </summary>
    public static string Shown(string text, int max = 40)
    {
        var cut = text.Length > max ? (char.IsHighSurrogate(text[max - 1]) ? max - 1 : max) : text.Length;
        var shown = new StringBuilder(cut + 1);
        for (var i = 0; i < cut; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < cut && char.IsLowSurrogate(text[i + 1])) shown.Append(c).Append(text[++i]);
            else shown.Append(Unprintable(c) || char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        if (cut < text.Length) shown.Append('…');
        return shown.ToString();
    }

    private static string Earliest => OccurrenceText.FormatDate(EarliestDate);

    private static string Latest => OccurrenceText.FormatDate(LatestDate);

    private static string? TextProblem(string text, int max)
    {
        if (text.Length > max) return $"is {text.Length} characters long; at most {max} are accepted";
        return CharacterProblem(text);
    }

    private static string? SegmentProblem(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return "must not be blank";
        if (text.Length > max) return $"is {text.Length} characters long; at most {max} are accepted";
        if (CharacterProblem(text) is { } problem) return problem;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || SegmentPunctuation.Contains(c)) continue;
            return $"'{Shown(text)}' has {Describe(text, i)} at position {i + 1}: it becomes part of web addresses, so it may hold only {SegmentCharacters}";
        }
        if (text is "." or "..") return $"must not be '{text}' alone (in a web address it means this or the parent folder)";
        return null;
    }

    /// <summary>NUL, other control characters, line separators, noncharacters and lone surrogates: not text a person typed.</summary>
    private static string? CharacterProblem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return $"holds half of a surrogate pair (U+{(int)c:X4}) at position {i + 1}: it is not valid Unicode text";
            if (Unprintable(c)) return $"holds {Describe(text, i)} at position {i + 1}: only printable text is accepted";
        }
        return null;
    }

    private static bool Unprintable(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFFFE' or '\uFFFF';

    private static string Describe(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            return $"'{text.Substring(i, 2)}' (U+{char.ConvertToUtf32(c, text[i + 1]).ToString("X4", CultureInfo.InvariantCulture)})";
        var code = ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return c switch
        {
            '\0' => "a NUL character (U+0000)",
            ' ' => "a space",
            _ when Unprintable(c) => $"a control character (U+{code})",
            _ when char.IsWhiteSpace(c) => $"a space character (U+{code})",
            _ when c < 0x7F => $"'{c}'",
            _ => $"'{c}' (U+{code})",
        };
    }
}
