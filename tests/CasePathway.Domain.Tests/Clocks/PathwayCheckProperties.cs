using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Tenants;
using CasePathway.Domain.Time;
using CasePathway.Testing;
using CsCheck;
using NodaTime;
using Shouldly;

namespace CasePathway.Domain.Tests.Clocks;

/// <summary>
/// <see cref="PathwayCheck"/> (the one way in's check, its state carried from event to event) against
/// <see cref="WholeStreamValidation.Check(IReadOnlyList{PathwayEvent}, PathwayEvent, TenantContext)"/> (the rules as first
/// written, every event against the child's whole stream rebuilt): for any random pathway arriving in any order, the
/// same errors for every event, in the same order, to the last word of each message.
/// </summary>
public class PathwayCheckProperties
{
    private const long Iterations = 400;
    private static readonly TenantContext Context = TenantContext.Of(new TenantSettings(RandomPathways.Tenant));

    private static string Answer(IReadOnlyList<FieldError> errors) => string.Join("\n", errors.Select(e => $"{e.Field}: {e.Message}"));

    private sealed record Arrival(IReadOnlyList<PathwayEvent> Events)
    {
        public override string ToString() => new RandomPathway(Events, Instant.MinValue).ToString();
    }

    // Any order of arrival; now and then an event arrives again under its id with other content (a resubmission
    // the store would refuse, but the whole-stream timeline keeps the first of an id) or a reason for delay.
    private static readonly Gen<Arrival> Arrivals =
        from events in RandomPathways.Events
        from shuffled in Gen.Shuffle(events.ToArray())
        from again in Gen.Int[0, Math.Max(0, shuffled.Length - 1)].Array[0, 2]
        from days in Gen.Int[-40, 40]
        from reasons in Gen.Bool
        select new Arrival(shuffled
            .Concat(again.Select(i => shuffled[i] with { OccurredAt = Occurrence.At(shuffled[i].OccurredAt.ToInstant() + Duration.FromDays(days)) }))
            .Concat(reasons ? Reasons(shuffled) : [])
            .ToList());

    // Reasons for delay of the clocks these events may start, checked by folding the child's clocks.
    private static IEnumerable<PathwayEvent> Reasons(IReadOnlyList<PathwayEvent> events) =>
        events.Take(3).Select((e, i) => new PathwayEvent(
            new Guid(i + 1, 0x5eed, 0, new byte[8]), e.Tenant, e.Child, Occurrence.At(e.OccurredAt.ToInstant() + Duration.FromDays(20 + i)),
            new BreachReasonRecorded(i % 2 == 0 ? "icpc" : "assessment", i % 2 == 0 ? "S1" : "R1", i == 2 ? "other" : "staffing")));

    // The per-rule state kept from the first event, from a few, and from the threshold (mostly scans, as most children).
    [Theory, InlineData(0), InlineData(5), InlineData(PathwayCheck.KeptFrom)]
    public void Each_event_accepted_or_refused_as_the_whole_stream_check_decides_when_the_accepted_are_kept(int keptFrom) =>
        Arrivals.Sample(a =>
        {
            var check = new PathwayCheck(Context, keptFrom);
            var known = new List<PathwayEvent>();
            foreach (var e in a.Events)
            {
                var expected = WholeStreamValidation.Check(known, e, Context);
                Answer(check.Check(e)).ShouldBe(Answer(expected), $"for {e.Id:N} {e.Type} after {known.Count} events");
                if (expected.Count > 0) continue;
                known.Add(e);
                check.Add(e);
            }
        }, iter: Iterations, print: a => a.ToString());

    [Theory, InlineData(0), InlineData(5), InlineData(PathwayCheck.KeptFrom)]
    public void Each_answer_is_the_whole_stream_checks_whatever_the_stream_already_holds(int keptFrom) =>
        // Every event kept, refused or not: streams the one way in never builds (a stop stored before its start, a
        // retraction before what it retracts, two events of one id) — a stored prefix is not checked again.
        Arrivals.Sample(a =>
        {
            var check = new PathwayCheck(Context, keptFrom);
            var known = new List<PathwayEvent>();
            foreach (var e in a.Events)
            {
                Answer(check.Check(e)).ShouldBe(Answer(WholeStreamValidation.Check(known, e, Context)), $"for {e.Id:N} {e.Type} after {known.Count} events");
                check.Contains(e.Id).ShouldBe(known.Any(k => k.Id == e.Id));
                known.Add(e);
                check.Add(e);
            }
            check.Events.ShouldBe(known);
        }, iter: Iterations, print: a => a.ToString());

    [Theory, InlineData(0), InlineData(PathwayCheck.KeptFrom)]
    public void An_assessment_started_arriving_links_an_authorisation_already_stored_to_its_referral(int keptFrom)
    {
        // The incoming event's own link (assessment → referral) counts for the events already stored.
        var referral = Ev.E("2022-09-01", new ReferralReceived("R1"));
        var authorised = Ev.E("2022-08-30", new AssessmentAuthorised("A1", AssessmentOutcome.Nfa));
        var started = Ev.E("2022-08-01", new AssessmentStarted("A1", "R1"));
        var check = new PathwayCheck(Context, keptFrom);
        check.Add(referral);
        check.Add(authorised);
        Answer(check.Check(started)).ShouldBe(Answer(WholeStreamValidation.Check([referral, authorised], started, Context)));
        check.Add(started);
        var late = Ev.E("2022-08-31", new AssessmentAuthorised("A1", AssessmentOutcome.Nfa));
        var errors = check.Check(late);
        Answer(errors).ShouldBe(Answer(WholeStreamValidation.Check([referral, authorised, started], late, Context)));
        errors.ShouldHaveSingleItem().Message.ShouldContain("ReferralReceived");
    }
}
