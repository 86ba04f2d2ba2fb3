using CasePathway.Host.Security;
using CasePathway.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace CasePathway.Host.Features.Alerts;

/// <summary>
/// Morning alerts for a team manager: subscribe to a daily e-mail about one of their teams, see and stop their
/// subscriptions. The forms post (they change something) and carry an antiforgery token.
/// </summary>
public sealed class AlertsModel(IServiceProvider services) : PageModel
{
    public const int DefaultWithin = AlertSubscriptionRules.DefaultWithin;

    public string? Tenant { get; private set; }
    public IReadOnlyList<string> Councils { get; private set; } = [];
    public IReadOnlyList<string> Teams { get; private set; } = [];
    public IReadOnlyList<AlertSubscription> Subscriptions { get; private set; } = [];
    public FieldProblems Problems { get; } = new();
    public bool Unavailable { get; private set; }
    public string? Done { get; private set; }
    public LocalTime SendsAt { get; private set; }

    [BindProperty] public string? Team { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Within { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Prepare()) return Page();
        if (Tenant is null && Councils.Count == 1) return Redirect("/alerts?tenant=" + Uri.EscapeDataString(Councils[0]));
        await LoadAsync(ct);
        if (Request.Query["done"] == "subscribed") Done = "You are subscribed. The first message goes at the next sending time.";
        if (Request.Query["done"] == "stopped") Done = "The subscription is stopped.";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Prepare()) return Page();
        if (Tenant is null) Problems.Add("tenant", "is required");
        var asked = AlertSubscriptionRules.Check(User.Teams(), Team, Email, Within, Problems);
        if (asked is not { } subscription || Problems.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
        await services.GetRequiredService<MorningAlerts>().SubscribeAsync(Tenant!, subscription.Team, User.Who(), subscription.Email, subscription.Within, ct);
        return Redirect($"/alerts?tenant={Uri.EscapeDataString(Tenant!)}&done=subscribed");
    }

    public async Task<IActionResult> OnPostStopAsync(string? id, CancellationToken ct)
    {
        if (!Prepare()) return Page();
        var query = services.GetRequiredService<AlertSubscriptionQuery>();
        var clock = services.GetRequiredService<IClock>();
        if (Tenant is null || !Guid.TryParse(id, out var guid) || !await query.CancelAsync(guid, Tenant, User.Who(), clock.GetCurrentInstant(), ct))
        {
            Problems.Add("id", "is not a subscription of yours");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/alerts?tenant={Uri.EscapeDataString(Tenant)}&done=stopped");
    }

    /// <summary>The caller's councils and teams; false (503) when the server runs without a database.</summary>
    private bool Prepare()
    {
        Councils = User.Councils().Order(StringComparer.Ordinal).ToList();
        Teams = User.Teams().Order(StringComparer.Ordinal).ToList();
        var tenant = Request.Query["tenant"].ToString();
        Tenant = tenant.Length > 0 && User.MayReadCouncil(tenant) ? tenant : null;
        if (services.GetService<MorningAlerts>() is null)
        {
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return false;
        }
        return true;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (Tenant is null) return;
        SendsAt = services.GetRequiredService<Projections.Tenants.TenantDirectory>().For(Tenant).Settings.MorningAlertsAt;
        Subscriptions = await services.GetRequiredService<AlertSubscriptionQuery>().LiveForAsync(Tenant, User.Who(), ct);
    }
}

/// <summary>What was sent, for a council's administrators: when, which subscription and team, by which channel, and how it went.</summary>
public sealed class AlertsSentModel(IServiceProvider services) : PageModel
{
    public const int Shown = 500;

    public string? Tenant { get; private set; }
    public IReadOnlyList<string> Councils { get; private set; } = [];
    public IReadOnlyList<AlertDelivery> Sent { get; private set; } = [];
    public bool Unavailable { get; private set; }
    public FieldProblems Problems { get; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Councils = User.Councils().Order(StringComparer.Ordinal).ToList();
        if (services.GetService<AlertSubscriptionQuery>() is not { } query)
        {
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        var tenant = Request.Query["tenant"].ToString();
        if (tenant.Length == 0)
        {
            if (Councils.Count == 1) return Redirect("/alerts/sent?tenant=" + Uri.EscapeDataString(Councils[0]));
            return Page();
        }
        if (Domain.Events.DoorLimits.TenantProblem(tenant) is { } problem)
        {
            Problems.Add("tenant", problem);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Tenant = tenant;
        Sent = await query.SentAsync(tenant, Shown, ct);
        return Page();
    }
}
