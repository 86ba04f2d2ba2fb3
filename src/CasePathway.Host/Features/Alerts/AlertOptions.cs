namespace CasePathway.Host.Features.Alerts;

/// <summary>
/// How morning alerts are delivered (<c>CasePathway:Alerts</c>, docs/operations.md): by GOV.UK Notify or by SMTP,
/// chosen by <see cref="Channel"/>; with neither, subscriptions are kept and every message is recorded as failed.
/// </summary>
public sealed class AlertOptions
{
    public const string Section = "CasePathway:Alerts";

    /// <summary><c>notify</c>, <c>smtp</c> or <c>none</c>.</summary>
    public string Channel { get; set; } = "none";

    /// <summary>The address people open CasePathway at, for the link in the message (else the server's own first address).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Seconds between tries of a message the channel could not take for now (5xx, timeouts), comma-separated.</summary>
    public string RetryDelaysSeconds { get; set; } = "60,300,1800";

    public NotifyOptions Notify { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();

    public TimeSpan[] RetryDelays() =>
        RetryDelaysSeconds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var n) && n >= 0 ? TimeSpan.FromSeconds(n) : throw new InvalidOperationException($"{Section}:RetryDelaysSeconds: '{s}' is not a whole number of seconds"))
            .ToArray();
}

public sealed class NotifyOptions
{
    /// <summary>The service's API key (from the environment or a secret store, never the repository).</summary>
    public string? ApiKey { get; set; }

    /// <summary>An e-mail template whose subject is <c>((subject))</c> and body <c>((body))</c>.</summary>
    public string? TemplateId { get; set; }

    public string BaseUrl { get; set; } = "https://api.notifications.service.gov.uk/";
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;

    /// <summary><c>auto</c> (STARTTLS when offered), <c>none</c>, <c>starttls</c> or <c>tls</c>.</summary>
    public string Security { get; set; } = "auto";

    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}
