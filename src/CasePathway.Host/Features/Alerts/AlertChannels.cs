using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Notify.Client;
using Notify.Exceptions;

namespace CasePathway.Host.Features.Alerts;

/// <summary>One e-mail: to whom, its subject and plain-text body, and a reference (subscription and date) for the provider.</summary>
public sealed record AlertEmail(string To, string Subject, string Body, string Reference);

public enum DeliveryOutcome { Sent, Rejected, NotYet }

/// <summary>
/// What the channel said. <see cref="DeliveryOutcome.NotYet"/> is worth trying again (a 5xx, a timeout, a refused
/// connection); <see cref="DeliveryOutcome.Rejected"/> is not (a 4xx: bad key, template or address).
/// <see cref="Detail"/> is shown to administrators, so addresses are taken out of it.
/// </summary>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? Detail)
{
    public static DeliveryResult Sent(string? detail = null) => new(DeliveryOutcome.Sent, Clean(detail));
    public static DeliveryResult Rejected(string detail) => new(DeliveryOutcome.Rejected, Clean(detail));
    public static DeliveryResult NotYet(string detail) => new(DeliveryOutcome.NotYet, Clean(detail));

    private static string? Clean(string? detail) =>
        detail is null ? null : Regex.Replace(detail, @"[^\s""'<>(),;:]+@[^\s""'<>(),;:]+", "(address)") is var d && d.Length > 300 ? d[..300] : d;
}

/// <summary>Where morning alerts go out.</summary>
public interface IAlertChannel
{
    /// <summary><c>notify</c>, <c>smtp</c> or <c>none</c>, as configured; recorded with each delivery.</summary>
    string Name { get; }

    Task<DeliveryResult> SendAsync(AlertEmail email, CancellationToken ct);

    static IAlertChannel From(AlertOptions options) => options.Channel.Trim().ToLowerInvariant() switch
    {
        "notify" => new NotifyChannel(options.Notify),
        "smtp" => new SmtpChannel(options.Smtp),
        "none" or "" => new NoChannel(),
        var other => throw new InvalidOperationException($"{AlertOptions.Section}:Channel: '{other}' is not notify, smtp or none"),
    };
}

/// <summary>No channel configured: nothing is sent, and each message says so on the sent list.</summary>
public sealed class NoChannel : IAlertChannel
{
    public string Name => "none";

    public Task<DeliveryResult> SendAsync(AlertEmail email, CancellationToken ct) =>
        Task.FromResult(DeliveryResult.Rejected($"no channel configured ({AlertOptions.Section}:Channel)"));
}

/// <summary>GOV.UK Notify's e-mail API (POST /v2/notifications/email) through its own .NET client.</summary>
public sealed class NotifyChannel : IAlertChannel
{
    private readonly NotifyOptions options;

    public NotifyChannel(NotifyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey)) throw new InvalidOperationException($"{AlertOptions.Section}:Notify:ApiKey is required when the channel is notify");
        if (string.IsNullOrWhiteSpace(options.TemplateId)) throw new InvalidOperationException($"{AlertOptions.Section}:Notify:TemplateId is required when the channel is notify");
        this.options = options;
    }

    public string Name => "notify";

    public async Task<DeliveryResult> SendAsync(AlertEmail email, CancellationToken ct)
    {
        try
        {
            var client = new NotificationClient(options.BaseUrl, options.ApiKey!);
            // the client blocks on its own HTTP call: keep that off the caller's thread
            var response = await Task.Run(() => client.SendEmailAsync(email.To, options.TemplateId!,
                new Dictionary<string, dynamic> { ["subject"] = email.Subject, ["body"] = email.Body }, email.Reference), ct);
            return DeliveryResult.Sent(response.id is { } id ? $"notification {id}" : null);
        }
        catch (Exception e) when (Unwrap(e) is NotifyClientException notify)
        {
            // the client's message starts "Status code NNN." for every answer that is not a success
            var match = Regex.Match(notify.Message, @"^Status code (\d{3})");
            if (match.Success && int.Parse(match.Groups[1].Value) is var status and >= 400 and < 500 && status != 429)
                return DeliveryResult.Rejected(notify.Message);
            return DeliveryResult.NotYet(notify.Message);
        }
        catch (Exception e) when (Unwrap(e) is HttpRequestException or TaskCanceledException or IOException)
        {
            return DeliveryResult.NotYet(Unwrap(e).Message);
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}

/// <summary>Any SMTP relay, through MailKit.</summary>
public sealed class SmtpChannel : IAlertChannel
{
    private readonly SmtpOptions options;

    public SmtpChannel(SmtpOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Host)) throw new InvalidOperationException($"{AlertOptions.Section}:Smtp:Host is required when the channel is smtp");
        if (string.IsNullOrWhiteSpace(options.From)) throw new InvalidOperationException($"{AlertOptions.Section}:Smtp:From is required when the channel is smtp");
        this.options = options;
    }

    public string Name => "smtp";

    public async Task<DeliveryResult> SendAsync(AlertEmail email, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From!));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.Headers.Add("X-CasePathway-Reference", email.Reference);
        message.Body = new TextPart("plain") { Text = email.Body };
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = options.Security.ToLowerInvariant() switch
            {
                "none" => SecureSocketOptions.None,
                "starttls" => SecureSocketOptions.StartTls,
                "tls" => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            await client.ConnectAsync(options.Host!, options.Port, security, ct);
            if (!string.IsNullOrEmpty(options.UserName)) await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
            var answer = await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return DeliveryResult.Sent(answer);
        }
        catch (SmtpCommandException e)
        {
            // SMTP's own classes: 4yz is "try again later", 5yz is "no"
            var detail = $"SMTP {(int)e.StatusCode}: {e.Message}";
            return (int)e.StatusCode >= 500 ? DeliveryResult.Rejected(detail) : DeliveryResult.NotYet(detail);
        }
        catch (AuthenticationException e)
        {
            return DeliveryResult.Rejected("SMTP authentication: " + e.Message);
        }
        catch (Exception e) when (e is SmtpProtocolException or SocketException or IOException or ServiceNotConnectedException or OperationCanceledException or TimeoutException)
        {
            return DeliveryResult.NotYet("SMTP: " + e.Message);
        }
    }
}
