using System.Security.Claims;
using CasePathway.Host.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Npgsql;

namespace CasePathway.Host.Security;

/// <summary>
/// Sign-in and the roles, wired in one place: a policy scheme that reads a bearer token when an Authorization
/// header is sent and the session cookie otherwise; OpenID Connect for people (against the embedded provider or
/// the council's); a policy per route and page (<see cref="AccessPolicies"/>); and everything else refused to
/// anyone not signed in.
/// </summary>
public static class Access
{
    public const string Scheme = "CasePathway";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AccessOptions>(configuration.GetSection(AccessOptions.Section));
        var options = configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();

        services.AddSingleton(sp => sp.GetService<NpgsqlDataSource>() is { } ds ? new AccountStore(ds) : null!);
        // The keys' and the key ring's tables may not exist yet on a host started without the runtime (the migrator
        // takes a lock); the runtime has migrated them before it was registered. Whichever of the two is read first
        // waits for this one migration.
        services.AddSingleton(sp =>
        {
            if (sp.GetService<NpgsqlDataSource>() is { } ds && sp.GetService<Runtime.CasePathwayRuntime>() is null)
                CasePathway.Store.Schema.SchemaMigrator.MigrateAsync(ds).GetAwaiter().GetResult();
            return new AccessTablesReady();
        });
        services.AddSingleton(sp =>
        {
            if (sp.GetService<NpgsqlDataSource>() is not { } ds) return SharedKeys.Ephemeral();
            sp.GetRequiredService<AccessTablesReady>();
            return SharedKeys.LoadAsync(ds).GetAwaiter().GetResult();
        });
        services.AddDataProtection().SetApplicationName("CasePathway");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IServiceProvider>((o, sp) =>
            {
                if (sp.GetService<NpgsqlDataSource>() is not { } ds) return;
                sp.GetRequiredService<AccessTablesReady>();
                o.XmlRepository = new DatabaseXmlRepository(ds);
            });

        var auth = services.AddAuthentication(o =>
        {
            o.DefaultScheme = Scheme;
            o.DefaultChallengeScheme = Scheme;
        });
        auth.AddPolicyScheme(Scheme, "Bearer token or session cookie", o =>
        {
            o.ForwardDefaultSelector = c => c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? BearerScheme : CookieScheme;
            o.ForwardChallenge = null;
        });
        auth.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "cp.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.ForwardChallenge = OidcScheme;
        });
        auth.AddJwtBearer(BearerScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = AccessClaims.Name;
            o.TokenValidationParameters.RoleClaimType = AccessClaims.Role;
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            // each token's signature is checked once, not with every request (set after MapInboundClaims, which
            // configures the handlers it finds)
            var handlers = o.TokenHandlers.ToList();
            o.TokenHandlers.Clear();
            foreach (var handler in handlers) o.TokenHandlers.Add(new RememberedTokens(handler));
            if (!options.Embedded)
            {
                o.Authority = options.Authority;
                o.Audience = options.Audience ?? options.ClientId;
                o.Events = new JwtBearerEvents { OnTokenValidated = c => { GroupRoles.Apply(c.Principal!, options); return Task.CompletedTask; } };
            }
        });
        auth.AddOpenIdConnect(OidcScheme, o =>
        {
            o.SignInScheme = CookieScheme;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.CallbackPath = EmbeddedProvider.CallbackPath;
            o.TokenValidationParameters.NameClaimType = AccessClaims.Name;
            o.TokenValidationParameters.RoleClaimType = AccessClaims.Role;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            if (options.Embedded)
            {
                // the provider is this very site, so its form_post callback is same-site: Lax cookies reach it,
                // also over plain http on loopback (None would need Secure)
                // the code comes back in the query: OpenIddict's form_post page submits itself with an inline
                // script, which the pages' Content-Security-Policy rightly refuses
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            if (!options.Embedded)
            {
                o.Authority = options.Authority;
                o.ClientId = options.ClientId;
                o.ClientSecret = options.ClientSecret;
                o.Events = new OpenIdConnectEvents { OnTokenValidated = c => { GroupRoles.Apply(c.Principal!, options); return Task.CompletedTask; } };
            }
        });
        if (options.Embedded)
        {
            // the embedded provider is this host: its keys and issuer are known once the server has started
            services.AddOptions<JwtBearerOptions>(BearerScheme).Configure<SharedKeys, IServer, IOptions<AccessOptions>>((o, keys, server, access) =>
            {
                o.TokenValidationParameters.IssuerSigningKey = keys.Signing;
                o.TokenValidationParameters.ValidAudience = AccessOptions.EmbeddedAudience;
                o.TokenValidationParameters.ValidIssuer = EmbeddedProvider.IssuerOf(access.Value, server)?.AbsoluteUri;
                o.TokenValidationParameters.ValidateIssuer = true;
            });
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<SharedKeys, IServer, IOptions<AccessOptions>>((o, keys, server, access) =>
            {
                var issuer = EmbeddedProvider.IssuerOf(access.Value, server)!.AbsoluteUri;
                o.ClientId = AccessOptions.WebClientId;
                o.ClientSecret = keys.WebClientSecret;
                o.Authority = issuer;
                o.RequireHttpsMetadata = false;
                // the provider is in this process: no metadata round trip, the configuration is known
                var configuration = new OpenIdConnectConfiguration
                {
                    Issuer = issuer,
                    AuthorizationEndpoint = issuer + "connect/authorize",
                    // the code is redeemed in-process over loopback, whatever the public name is
                    TokenEndpoint = EmbeddedProvider.IssuerOf(new AccessOptions(), server)!.AbsoluteUri + "connect/token",
                };
                configuration.SigningKeys.Add(keys.Signing);
                o.Configuration = configuration;
            });
            EmbeddedProvider.Add(services);
        }

        services.AddAuthorization(AccessPolicies.Configure);
        services.AddSingleton(sp => sp.GetService<NpgsqlDataSource>() is { } ds ? new AccessAudit(ds) : null!);
        services.AddSingleton<IAuthorizationHandler, CouncilCheck>();
        services.AddSingleton<IAuthorizationHandler, NeedToKnowCheck>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessRefusals>();
    }

    public static void Use(WebApplication app)
    {
        // keys, the access audit's tables and the data protection key ring are read (or made, by the first host) now,
        // not by the first request; each is a few round trips of its own, so the three go together
        var services = app.Services;
        Task.WhenAll(
            Task.Run(() => services.GetRequiredService<SharedKeys>()),
            Task.Run(async () => { if (services.GetService<AccessAudit>() is { } audit) await audit.EnsureAsync(); }),
            Task.Run(() => services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CasePathway.Start").Protect([1]))).GetAwaiter().GetResult();
        // Every authorization policy names Access.Scheme, so the authorization middleware authenticates a request itself
        // (a bearer token, or the session cookie). What the authentication middleware adds is offering each request to
        // the handlers that answer paths of their own (OpenID Connect's callback, the embedded provider's /connect
        // endpoints) and authenticating requests no policy covers: pages and sign-in, never /api. An API request skips
        // it, and with it building those handlers, about a quarter of the server's CPU for a bearer append.
        app.UseWhen(c => !Web.ApiEndpoints.IsApi(c.Request), branch => branch.UseAuthentication());
        app.UseAuthorization();
        AccessAudit.Use(app);
    }

    public static void Map(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.Embedded) EmbeddedProvider.Map(app);
        AccessAudit.Map(app);
        app.MapPost("/account/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme);
            if (app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.Embedded) await context.SignOutAsync(EmbeddedProvider.SessionScheme);
            return Results.Redirect("/");
        }).ExcludeFromDescription();
    }
}

/// <summary>An external authority's groups as CasePathway's roles, councils and teams (<c>CasePathway:Auth:Groups</c>).</summary>
public static class GroupRoles
{
    public static void Apply(ClaimsPrincipal principal, AccessOptions options)
    {
        if (principal.Identity is not ClaimsIdentity identity) return;
        var groups = principal.FindAll(options.GroupClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var claim in identity.FindAll(c => c.Type is AccessClaims.Role or AccessClaims.Council or AccessClaims.Team).ToList()) identity.RemoveClaim(claim);
        foreach (var map in options.Groups.Where(m => groups.Contains(m.Group) && Roles.IsKnown(m.Role)))
        {
            identity.AddClaim(new Claim(AccessClaims.Role, map.Role));
            identity.AddClaim(new Claim(AccessClaims.Council, map.Council));
            if (!string.IsNullOrEmpty(map.Team)) identity.AddClaim(new Claim(AccessClaims.Team, map.Team));
        }
    }
}

/// <summary>Resolved once the access tables exist (see <see cref="Access.Add"/>): what the keys and the key ring wait for.</summary>
internal sealed class AccessTablesReady;
