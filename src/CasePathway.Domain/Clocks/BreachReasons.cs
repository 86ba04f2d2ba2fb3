using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using NodaTime;

namespace CasePathway.Domain.Clocks;

/// <summary>One reason a council offers for a clock's delay: its code (what events carry) and what people read.</summary>
/// <param name="NoteRequired">The reason says nothing by itself (<c>other</c>): the event must carry a note.</param>
public sealed record BreachReasonCode(string Code, string Label, bool NoteRequired = false);

/// <summary>The reasons for delay a council offers, in the order its pages list them (docs/rulebook.md, "Reasons for delay").</summary>
public sealed class BreachReasonList
{
    public BreachReasonList(IReadOnlyList<BreachReasonCode> codes) => Codes = codes;

    public IReadOnlyList<BreachReasonCode> Codes { get; }

    /// <summary>What a council that configured nothing offers.</summary>
    public static BreachReasonList Default { get; } = new([
        new("staffing", "Staffing: no worker was available"),
        new("awaiting-partner", "Waiting for a partner agency (police, health, education)"),
        new("family-unavailable", "The child or family was not available"),
        new("recording-delay", "Done on time but recorded late"),
        new("other", "Other (say what in the note)", NoteRequired: true),
    ]);

    public BreachReasonCode? Find(string code) => Codes.FirstOrDefault(c => c.Code == code);

    /// <summary>The label of a code, or the code itself when the council no longer offers it (an old event keeps its code).</summary>
    public string LabelOf(string code) => Find(code)?.Label ?? code;

    /// <summary>A council's own list; a problem names the field (<c>breachReasons[i].code</c>) for the configuration file's error.</summary>
    public static (BreachReasonList? List, string? Problem) Of(IReadOnlyList<BreachReasonCode> codes)
    {
        if (codes.Count == 0) return (null, "breachReasons: must list at least one reason (leave it out for the default list)");
        for (var i = 0; i < codes.Count; i++)
        {
            var c = codes[i];
            if (string.IsNullOrWhiteSpace(c.Code) || c.Code.Length > 64 || !c.Code.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'))
                return (null, $"breachReasons[{i}].code: '{DoorLimits.Shown(c.Code ?? "")}' must be 1–64 characters of a–z, 0–9 and '-'");
            if (string.IsNullOrWhiteSpace(c.Label)) return (null, $"breachReasons[{i}].label: required, must not be blank");
            if (codes.Take(i).Any(o => o.Code == c.Code)) return (null, $"breachReasons[{i}].code: '{c.Code}' is listed twice");
        }
        return (new BreachReasonList(codes), null);
    }
}

/// <summary>A reason for delay in force for one clock.</summary>
public sealed record BreachReason(string Rule, string Episode, string Code, string? Note, Guid EventId, Instant RecordedAt, string? RecordedBy);

/// <summary>A reason as the authority knew it from <see cref="KnownFrom"/> until <see cref="KnownTo"/> (null: still).</summary>
public sealed record BreachReasonVersion(BreachReason Reason, Instant KnownFrom, Instant? KnownTo);

/// <summary>
/// Which reason stands for each clock of a child: the last one recorded for its rule and episode, unless
/// retracted. Pure, and bitemporal like the clocks: as at T only what was known by T counts.
/// </summary>
public static class BreachReasons
{
    /// <summary>The reason in force for each clock (rule, episode) as the authority knew it at <paramref name="at"/>.</summary>
    public static IReadOnlyDictionary<(string Rule, string Episode), BreachReason> AsAt(IEnumerable<PathwayEvent> events, Instant at)
    {
        var known = events.Where(e => CountsFrom(e) <= at).ToList();
        var retracted = ClockFold.Retracted(known);
        return known
            .Where(e => e.Data is BreachReasonRecorded && !retracted.Contains(e.Id))
            // a later reason replaces an earlier one: a manager correcting the record
            .OrderBy(CountsFrom).ThenBy(e => e.Id)
            .Select(e => (Event: e, Data: (BreachReasonRecorded)e.Data))
            .GroupBy(x => (x.Data.Rule, x.Data.Episode))
            .ToDictionary(g => g.Key, g =>
            {
                var (e, d) = g.Last();
                return new BreachReason(d.Rule, d.Episode, d.Reason, d.Note, e.Id, ClockHistory.RecordedAt(e), e.RecordedBy);
            });
    }

    /// <summary>Every version of every clock's reason: what the read model keeps for as-at lists.</summary>
    public static IReadOnlyList<BreachReasonVersion> History(IReadOnlyList<PathwayEvent> events)
    {
        var changes = events.Where(e => e.Data is BreachReasonRecorded or EventRetracted).Select(CountsFrom).Distinct().Order();
        var open = new Dictionary<(string, string), BreachReasonVersion>();
        var history = new List<BreachReasonVersion>();
        foreach (var at in changes)
        {
            var current = AsAt(events, at);
            foreach (var (key, version) in open.ToList())
            {
                if (current.TryGetValue(key, out var now) && now.EventId == version.Reason.EventId) continue;
                history.Add(version with { KnownTo = at });
                open.Remove(key);
            }
            foreach (var (key, reason) in current) open.TryAdd(key, new BreachReasonVersion(reason, at, null));
        }
        history.AddRange(open.Values);
        return history;
    }

    /// <summary>
    /// Whether <paramref name="incoming"/>, a reason, may join a child's stream (<paramref name="existing"/>): a rule of the
    /// council's rulebook, a clock of that rule and episode started by the time the reason is given and not met or
    /// cancelled by then, a code of the council's list, and a note when the code needs one. A clock still running is
    /// accepted: a manager often knows before the due date that it will be missed (the family is away, the police
    /// cannot attend).
    /// </summary>
    public static IEnumerable<FieldError> Check(IReadOnlyList<PathwayEvent> existing, PathwayEvent incoming, TenantContext context)
    {
        if (incoming.Data is not BreachReasonRecorded r) yield break;
        var council = context.Settings.Tenant;
        if (context.Reasons.Find(r.Reason) is not { } code)
            yield return new FieldError("data.reason",
                $"'{DoorLimits.Shown(r.Reason)}' is not one of council {council}'s reasons for delay ({string.Join(", ", context.Reasons.Codes.Select(c => c.Code))})");
        else if (code.NoteRequired && string.IsNullOrWhiteSpace(r.Note))
            yield return new FieldError("data.note", $"required when the reason is '{code.Code}': say what caused the delay");

        if (context.Rulebook.Enabled.All(rule => rule.Id != r.Rule))
        {
            yield return new FieldError("data.rule", $"'{DoorLimits.Shown(r.Rule)}' is not a rule of council {council}'s rulebook");
            yield break;
        }
        var at = incoming.OccurredAt.ToInstant();
        var clocks = ClockFold.Fold(existing, context.Rulebook, context.Calendar, at).Clocks.Where(c => c.Rule == r.Rule).ToList();
        if (clocks.FirstOrDefault(c => c.Episode == r.Episode) is not { } clock)
        {
            var known = clocks.Count == 0 ? "it has none" : $"it has {string.Join(", ", clocks.Select(c => c.Episode).Take(10))}";
            yield return new FieldError("data.episode",
                $"child {incoming.Child} has no {r.Rule} clock for episode '{DoorLimits.Shown(r.Episode)}' started by {incoming.OccurredAt} ({known})");
            yield break;
        }
        switch (clock.StatusAt(at))
        {
            case ClockStatus.Met:
                yield return new FieldError("data.episode",
                    $"the {r.Rule} clock of episode {r.Episode} was met (stopped {clock.Stopped}, due {clock.Due.Date:uuuu-MM-dd}): there is no delay to explain");
                break;
            case ClockStatus.Cancelled:
                yield return new FieldError("data.episode",
                    $"the {r.Rule} clock of episode {r.Episode} was cancelled ({clock.Cancelled}): there is no delay to explain");
                break;
        }
    }

    // As the clocks count events (ClockHistory): from when an event was both recorded and had happened; a retraction from its recording.
    private static Instant CountsFrom(PathwayEvent e)
    {
        var recorded = ClockHistory.RecordedAt(e);
        if (e.Data is EventRetracted) return recorded;
        var occurred = e.OccurredAt.ToInstant();
        return occurred > recorded ? occurred : recorded;
    }
}
