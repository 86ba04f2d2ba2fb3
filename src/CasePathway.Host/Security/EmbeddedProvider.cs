using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CasePathway.Host.Security;

/// <summary>
/// The OpenID Connect provider inside the host (OpenIddict's server, degraded mode: its clients and people are
/// our own <c>accounts</c> table, checked by the handlers below, not OpenIddict's stores). The pages are its one
/// interactive client (<see cref="AccessOptions.WebClientId"/>: authorization code + PKCE); machine clients use
/// client credentials at <c>POST /connect/token</c>. Only when no external authority is configured.
/// </summary>
public static class EmbeddedProvider
{
    /// <summary>The provider's own session (who signed in at /account/signin), apart from the app's cookie.</summary>
    public const string SessionScheme = "CasePathway.Provider";
    public const string SignInPath = "/account/signin";
    public const string CallbackPath = "/signin-oidc";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(SessionScheme, o =>
        {
            o.Cookie.Name = "cp.provider";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = SignInPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize")
             .SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowClientCredentialsFlow();
            o.EnableDegradedMode();
            o.DisableTokenStorage();
            o.DisableAuthorizationStorage();
            // plain signed JWTs: the API reads them with the standard JwtBearer handler
            o.DisableAccessTokenEncryption();
            o.SetAccessTokenLifetime(TimeSpan.FromMinutes(30));
            o.SetIdentityTokenLifetime(TimeSpan.FromMinutes(10));
            o.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            o.UseAspNetCore()
             .EnableAuthorizationEndpointPassthrough()
             .EnableTokenEndpointPassthrough()
             // the host listens on loopback over http; TLS is the reverse proxy's (docs/security.md)
             .DisableTransportSecurityRequirement();

            o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                // degraded mode: OpenIddict knows no clients, so the only interactive one is checked here
                if (context.ClientId != AccessOptions.WebClientId)
                    context.Reject(Errors.InvalidClient, "client_id: unknown client");
                else if (context.RedirectUri is not { } redirect || !Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || uri.AbsolutePath != CallbackPath
                         || !IsOwnOrigin(uri, context.Transaction.GetHttpRequest()!))
                    context.Reject(Errors.InvalidRequest, "redirect_uri: not this application's callback");
                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(async context =>
            {
                var http = context.Transaction.GetHttpRequest()!.HttpContext;
                if (context.Request.IsAuthorizationCodeGrantType())
                {
                    var keys = http.RequestServices.GetRequiredService<SharedKeys>();
                    if (context.ClientId != AccessOptions.WebClientId || !SameSecret(context.ClientSecret, keys.WebClientSecret))
                        context.Reject(Errors.InvalidClient, "client_id or client_secret: not recognised");
                    return;
                }
                if (context.Request.IsClientCredentialsGrantType())
                {
                    var accounts = http.RequestServices.GetService<AccountStore>();
                    if (accounts is null || string.IsNullOrEmpty(context.ClientId) || string.IsNullOrEmpty(context.ClientSecret)
                        || (await accounts.CheckAsync(AccountKind.Client, context.ClientId, context.ClientSecret, http.RequestAborted)).Check != SignInCheck.Succeeded)
                        context.Reject(Errors.InvalidClient, "client_id or client_secret: not recognised, disabled or locked");
                    return;
                }
                context.Reject(Errors.UnsupportedGrantType, "grant_type: client_credentials or authorization_code");
            }));
        });
        services.AddOptions<OpenIddictServerOptions>().Configure<SharedKeys, IServer, Microsoft.Extensions.Options.IOptions<AccessOptions>>((o, keys, server, access) =>
        {
            o.SigningCredentials.Add(new SigningCredentials(keys.Signing, SecurityAlgorithms.RsaSha256));
            o.EncryptionCredentials.Add(new EncryptingCredentials(keys.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
            o.Issuer = IssuerOf(access.Value, server);
        });
    }

    /// <summary>The issuer: configured, else this host's first address (known once Kestrel has started).</summary>
    public static Uri? IssuerOf(AccessOptions options, IServer server)
    {
        if (!string.IsNullOrWhiteSpace(options.Issuer)) return new Uri(options.Issuer.TrimEnd('/') + "/");
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => !a.EndsWith(":0", StringComparison.Ordinal));
        return first is null ? null : new Uri(first.TrimEnd('/') + "/");
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/connect/token", (Delegate)TokenAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(WebHardening.TokenLimit);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var session = await context.AuthenticateAsync(SessionScheme);
        var accounts = context.RequestServices.GetService<AccountStore>();
        var account = session.Succeeded && accounts is not null
            ? await accounts.FindAsync(AccountKind.User, session.Principal!.Who(), context.RequestAborted)
            : null;
        if (account is null or { Disabled: true })
        {
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(context.Request.HasFormContentType
                ? context.Request.Form.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value.ToString()))
                : context.Request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())));
            return Results.Redirect(SignInPath + "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        }
        var principal = PrincipalOf(account, request.GetScopes());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var accounts = context.RequestServices.GetService<AccountStore>();
        if (request.IsClientCredentialsGrantType() && accounts is not null)
        {
            var client = await accounts.FindAsync(AccountKind.Client, request.ClientId!, context.RequestAborted);
            if (client is { Disabled: false }) return Results.SignIn(PrincipalOf(client, []), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        else if (request.IsAuthorizationCodeGrantType() && accounts is not null)
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            // the account is read again: one disabled since it signed in gets no token
            var user = code.Principal is { } p ? await accounts.FindAsync(AccountKind.User, p.Who(), context.RequestAborted) : null;
            if (user is { Disabled: false }) return Results.SignIn(PrincipalOf(user, code.Principal!.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "the account is unknown or disabled",
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The claims of an account, in the access token and the id token alike.</summary>
    public static ClaimsPrincipal PrincipalOf(Account account, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, AccessClaims.Name, AccessClaims.Role);
        identity.AddClaim(new Claim(AccessClaims.Subject, account.Name));
        identity.AddClaim(new Claim(AccessClaims.Name, account.Name));
        identity.AddClaim(new Claim(AccessClaims.Kind, AccountStore.Kind(account.Kind)));
        foreach (var role in account.Roles) identity.AddClaim(new Claim(AccessClaims.Role, role));
        foreach (var council in account.Councils) identity.AddClaim(new Claim(AccessClaims.Council, council));
        foreach (var team in account.Teams) identity.AddClaim(new Claim(AccessClaims.Team, team));
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetResources(AccessOptions.EmbeddedAudience);
        principal.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return principal;
    }

    private static bool IsOwnOrigin(Uri uri, HttpRequest request) =>
        string.Equals(uri.GetLeftPart(UriPartial.Authority), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    private static bool SameSecret(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
