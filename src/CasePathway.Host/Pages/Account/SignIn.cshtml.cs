using System.Security.Claims;
using CasePathway.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CasePathway.Host.Pages.Account;

/// <summary>
/// The embedded provider's sign-in form (local accounts). The pages never post here themselves: they are sent by
/// the OpenID Connect handler to /connect/authorize, which sends a person who has not signed in here and back.
/// </summary>
[EnableRateLimiting(WebHardening.SignInLimit)]
public sealed class SignInModel(AccountStore? accounts = null) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (accounts is null) { Problem = "Signing in is not available: the service has no database"; return Page(); }
        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password)) { Problem = "Enter your user name and password"; return Page(); }
        var (check, account) = await accounts.CheckAsync(AccountKind.User, Username, Password, ct);
        if (check != SignInCheck.Succeeded || account is null)
        {
            // one message for a wrong name or password; a lockout is said, as it tells the person to wait
            Problem = check == SignInCheck.LockedOut
                ? $"Too many wrong passwords: this account is locked for {AccountStore.LockoutMinutes} minutes"
                : "The user name or password is not right";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var identity = new ClaimsIdentity(EmbeddedProvider.SessionScheme, AccessClaims.Name, AccessClaims.Role);
        identity.AddClaim(new Claim(AccessClaims.Subject, account.Name));
        identity.AddClaim(new Claim(AccessClaims.Name, account.Name));
        await HttpContext.SignInAsync(EmbeddedProvider.SessionScheme, new ClaimsPrincipal(identity));
        // only back to the provider's own authorization endpoint: never an address from elsewhere
        return LocalRedirect(ReturnUrl is { } r && r.StartsWith("/connect/authorize?", StringComparison.Ordinal) ? r : "/");
    }
}
