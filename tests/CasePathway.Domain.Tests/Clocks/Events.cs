using CasePathway.Domain.Calendar;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>Builds pathway events for one child from readable times: "2022-09-15" (date only) or "2022-09-15T10:00" (London local).</summary>
internal static class Ev
{
    public static PathwayEvent E(string when, IPathwayEventData data, string? source = null) =>
        new(Guid.NewGuid(), "357", "C1", Occ(when), data, SourceSystem: source);

    public static Occurrence Occ(string when) =>
        when.Contains('T')
            ? Occurrence.At(London.InstantOf(OccurrenceText.ParseLocalDateTime(when) ?? throw new ArgumentException(when)))
            : Occurrence.On(OccurrenceText.ParseDate(when) ?? throw new ArgumentException(when));

    /// <summary>A London local time as an instant: "2022-10-07T23:59".</summary>
    public static Instant At(string local) => London.InstantOf(OccurrenceText.ParseLocalDateTime(local) ?? throw new ArgumentException(local));

    public static LocalDate D(string date) => OccurrenceText.ParseDate(date) ?? throw new ArgumentException(date);

    public static PathwayEvent Retract(string when, PathwayEvent target) => E(when, new EventRetracted(target.Id));
}

internal static class TestCalendar
{
    // The England & Wales calendar of branch `calendar` (bank holidays 2012–2027).
    public static readonly WorkingCalendar EnglandAndWales = WorkingCalendar.EnglandAndWales();
}
