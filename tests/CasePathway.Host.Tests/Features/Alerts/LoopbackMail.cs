using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CasePathway.Host.Tests.Features.Alerts;

/// <summary>
/// A small SMTP server on 127.0.0.1 that accepts every message and keeps it (RFC 5321's plain dialogue: EHLO, MAIL,
/// RCPT, DATA, QUIT; no TLS, no authentication), so the tests see exactly what MailKit sent.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LoopbackSmtpServer()
    {
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public ConcurrentQueue<(string[] Recipients, MimeMessage Message)> Received { get; } = new();

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => ConverseAsync(client));
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 loopback ESMTP");
        var recipients = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-loopback");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "HELO": case "NOOP": case "MAIL":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RSET":
                    recipients.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    recipients.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    Received.Enqueue((recipients.ToArray(), MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())))));
                    recipients.Clear();
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        try { await loop; } catch (OperationCanceledException) { }
    }
}

/// <summary>
/// GOV.UK Notify's e-mail API impersonated on 127.0.0.1: POST /v2/notifications/email is recorded (its JSON and its
/// bearer token) and answered with the next status queued in <see cref="Answers"/> (201 when none is queued).
/// </summary>
public sealed class LoopbackNotify : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackNotify(WebApplication app) => this.app = app;

    public ConcurrentQueue<(string Authorization, JsonObject Body, int Status)> Received { get; } = new();
    public ConcurrentQueue<int> Answers { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LoopbackNotify> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var notify = new LoopbackNotify(app);
        app.MapPost("/v2/notifications/email", async (HttpContext context) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            var status = notify.Answers.TryDequeue(out var s) ? s : 201;
            notify.Received.Enqueue((context.Request.Headers.Authorization.ToString(), body, status));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (status == 201)
                await context.Response.WriteAsync(new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(),
                    ["reference"] = body["reference"]?.GetValue<string>(),
                    ["uri"] = "http://127.0.0.1/v2/notifications/x",
                    ["template"] = new JsonObject { ["id"] = body["template_id"]?.GetValue<string>(), ["version"] = 1, ["uri"] = "http://127.0.0.1/t" },
                    ["content"] = new JsonObject { ["subject"] = "s", ["body"] = "b", ["from_email"] = "alerts@notify.example" },
                }.ToJsonString());
            else
                await context.Response.WriteAsync(new JsonObject
                {
                    ["status_code"] = status,
                    ["errors"] = new JsonArray(new JsonObject { ["error"] = status >= 500 ? "Exception" : "BadRequestError", ["message"] = status >= 500 ? "Internal server error" : "Template not found" }),
                }.ToJsonString());
        });
        await app.StartAsync();
        notify.BaseAddress = new Uri(app.Urls.Single());
        return notify;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
