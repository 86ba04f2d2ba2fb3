namespace CasePathway.Host.Security;

/// <summary>
/// <c>CasePathway:Auth</c>: who signs people in. Without <see cref="Authority"/> the host runs its own OpenID
/// Connect provider (local accounts); with one, that provider is switched off and people sign in at the
/// council's identity provider (docs/security.md).
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "CasePathway:Auth";

    /// <summary>The issuer every host behind one address names (embedded provider); default: this host's first address.</summary>
    public string? Issuer { get; set; }

    /// <summary>The council's OpenID Connect authority (e.g. https://login.microsoftonline.com/TENANT-ID/v2.0).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The audience API tokens must carry (external authority); the embedded provider's is <see cref="EmbeddedAudience"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim listing the person's groups or app roles at the external authority.</summary>
    public string GroupClaim { get; set; } = "groups";

    /// <summary>Group → role (and team) per council, for an external authority.</summary>
    public List<GroupMapping> Groups { get; set; } = [];

    public bool Embedded => string.IsNullOrWhiteSpace(Authority);

    public const string EmbeddedAudience = "casepathway";
    public const string WebClientId = "casepathway-web";
}

/// <summary>Members of <see cref="Group"/> have <see cref="Role"/> in <see cref="Council"/> (and <see cref="Team"/> when given).</summary>
public sealed class GroupMapping
{
    public string Group { get; set; } = "";
    public string Council { get; set; } = "";
    public string Role { get; set; } = "";
    public string? Team { get; set; }
}
