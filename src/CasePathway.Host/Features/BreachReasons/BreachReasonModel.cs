using System.Text.RegularExpressions;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using CasePathway.Host.Features.ChildPathway;
using CasePathway.Host.Features.Clocks;
using CasePathway.Host.Runtime;
using CasePathway.Host.Security;
using CasePathway.Host.Web;
using CasePathway.Projections.Tenants;
using CasePathway.Store.Pathways;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CasePathway.Host.Features.BreachReasons;

/// <summary>
/// A manager records why a clock breached (or is about to): a reason from the council's list and a note. The
/// reason is a <see cref="BreachReasonRecorded"/> event appended through the one way in, so it is checked as a
/// case system's would be, audited, and replayed as at any instant. Duty managers and QA leads of the council.
/// </summary>
public sealed partial class BreachReasonModel(IServiceProvider services, TenantDirectory tenants) : PageModel
{
    /// <summary>The case system named on events recorded through the pages.</summary>
    public const string SourceSystem = "casepathway";

    public string Tenant { get; private set; } = "";
    public string Child { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public string? Rule { get; set; }
    [BindProperty(SupportsGet = true)] public string? Episode { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Note { get; set; }

    public ClockView? Clock { get; private set; }
    public BreachReasonList Reasons { get; private set; } = BreachReasonList.Default;
    public FieldProblems Problems { get; } = new();
    public bool Unavailable { get; private set; }

    public async Task<IActionResult> OnGetAsync(string tenant, string child, CancellationToken ct)
    {
        if (await LoadAsync(tenant, child, ct) is { } refused) return refused;
        Reason = Clock!.Reason?.Code;
        Note = Clock.Reason?.Note;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string tenant, string child, CancellationToken ct)
    {
        if (await LoadAsync(tenant, child, ct) is { } refused) return refused;
        var runtime = services.GetRequiredService<CasePathwayRuntime>();
        // a text box's line breaks are not text the door accepts: one line, as a note on a list reads
        var note = string.IsNullOrWhiteSpace(Note) ? null : Whitespace().Replace(Note, " ").Trim();
        if (string.IsNullOrWhiteSpace(Reason)) Problems.Add("reason", "Choose the reason for the delay");
        else if (Reasons.Find(Reason) is { NoteRequired: true } && note is null)
            Problems.Add("note", $"Say what caused the delay: the reason '{Reasons.LabelOf(Reason)}' needs a note");
        if (!Problems.Any)
        {
            // known from the server's "now", which the pages evaluate at too (a pinned CASEPATHWAY_NOW included)
            var now = runtime.Clock.GetCurrentInstant();
            var recorded = new PathwayEvent(
                Guid.NewGuid(), Tenant, Child, Occurrence.At(now),
                new BreachReasonRecorded(Clock!.Rule, Clock.Episode, Reason!, note),
                RecordedAt: now, RecordedBy: User.Who(), SourceSystem: SourceSystem);
            var outcome = await runtime.Appender.AppendAsync([recorded], AppendSource.Live, allOrNothing: true, ct: ct);
            foreach (var problem in outcome.Rejected.SelectMany(r => r.Problems))
                Problems.Add(problem.Field switch { "data.reason" => "reason", "data.note" => "note", var f => f }, problem.Message);
            if (!Problems.Any)
            {
                // The list reads the projections: wait (briefly) for them to take the reason, so the page returned to shows it.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromSeconds(10));
                try { await runtime.CatchUpAsync(wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
                return LocalRedirect(Back);
            }
        }
        Note = note;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Where the manager came from (a local address only), else the child's page.</summary>
    public string Back => ReturnUrl is { Length: > 0 } r && Url.IsLocalUrl(r) ? r : ChildHref;

    public string ChildHref => $"/children/{Uri.EscapeDataString(Tenant)}/{Uri.EscapeDataString(Child)}";

    /// <summary>The page of one clock's reason, returning to <paramref name="returnUrl"/>.</summary>
    public static string Href(string tenant, string child, string rule, string episode, string? returnUrl) =>
        $"/children/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(child)}/reason?rule={Uri.EscapeDataString(rule)}&episode={Uri.EscapeDataString(episode)}" +
        (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl));

    private async Task<IActionResult?> LoadAsync(string tenant, string child, CancellationToken ct)
    {
        Tenant = tenant;
        Child = child;
        if (services.GetService<IChildPathwaySource>() is not { } source || services.GetService<CasePathwayRuntime>() is null)
        {
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        if (QueryParameters.Tenant(Problems, tenant) is null) Tenant = DoorLimits.Shown(tenant);
        if (QueryParameters.Child(Problems, child) is null) Child = DoorLimits.Shown(child);
        if (string.IsNullOrWhiteSpace(Rule)) Problems.Add("rule", "required: the clock's rule");
        else QueryParameters.Key(Problems, "rule", Rule);
        if (string.IsNullOrWhiteSpace(Episode)) Problems.Add("episode", "required: the clock's episode");
        else QueryParameters.Key(Problems, "episode", Episode);
        if (Problems.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Reasons = tenants.For(tenant).Reasons;
        ChildPathway.ChildPathway? pathway;
        try
        {
            pathway = await source.GetAsync(tenant, child, null, ct);
        }
        catch (ChildRecordUnfoldableException e)
        {
            Problems.Add("child", e.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        Clock = pathway?.Clocks.FirstOrDefault(c => c.Rule == Rule && c.Episode == Episode);
        if (Clock is null)
        {
            Problems.Add("episode", $"child {Child} has no {DoorLimits.Shown(Rule!)} clock for episode '{DoorLimits.Shown(Episode!)}'");
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        return null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
