namespace CasePathway.Host.Web;

/// <summary>What the web app needs to start: where it listens and which database it reads.</summary>
public sealed record WebAppSettings
{
    /// <summary>Semicolon-separated loopback URLs; port 0 asks the system for a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Npgsql connection string (CASEPATHWAY_DB); null runs without a database (readiness then fails).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Folder of the static files; found beside the program or in the source tree when null.</summary>
    public string? WebRoot { get; init; }

    /// <summary>Extra configuration, e.g. <c>CasePathway:CouncilName</c>, layered over appsettings and the environment.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    public static WebAppSettings FromEnvironment(string urls) => new()
    {
        Urls = urls,
        ConnectionString = Environment.GetEnvironmentVariable("CASEPATHWAY_DB") is { Length: > 0 } db ? db : null,
    };
}
