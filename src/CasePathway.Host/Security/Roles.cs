using System.Security.Claims;

namespace CasePathway.Host.Security;

/// <summary>The roles of docs/security.md and the claims a signed-in person or client carries.</summary>
public static class Roles
{
    public const string DutyManager = "duty-manager";
    public const string QaLead = "qa-lead";
    public const string Board = "board";
    public const string Feed = "feed";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [DutyManager, QaLead, Board, Feed, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Claim types in tokens, the id token and the session cookie (short JWT-style names).</summary>
public static class AccessClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Council = "council";
    public const string Team = "team";
    public const string Kind = "kind";

    public static IReadOnlySet<string> Councils(this ClaimsPrincipal user) =>
        user.FindAll(Council).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> Teams(this ClaimsPrincipal user) =>
        user.FindAll(Team).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> RolesOf(this ClaimsPrincipal user) =>
        user.FindAll(Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    public static bool MayReadCouncil(this ClaimsPrincipal user, string tenant) =>
        user.FindAll(Council).Any(c => string.Equals(c.Value, tenant, StringComparison.Ordinal));

    /// <summary>A duty manager who is not also a qa-lead reads the lists of their own teams only.</summary>
    public static bool IsTeamScoped(this ClaimsPrincipal user) =>
        user.RolesOf() is var roles && roles.Contains(Roles.DutyManager) && !roles.Contains(Roles.QaLead);

    public static string Who(this ClaimsPrincipal user) => user.FindFirst(Subject)?.Value ?? user.FindFirst(Name)?.Value ?? "?";
}
