using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CasePathway.Host.Web;

/// <summary>
/// Every error the app answers itself (unknown route, failure, body too large): problem+json for
/// programs (/api, /health, /openapi, CSV exports, or any client that does not ask for HTML), a short
/// page for people.
/// </summary>
public static class ProblemResponses
{
    private static readonly string[] MachinePrefixes = [ApiEndpoints.Prefix, "/health", "/openapi"];

    public static bool IsForPrograms(HttpRequest request) =>
        MachinePrefixes.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
        || request.Path.Value?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true
        || !request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    public static void Register(IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // a trace id lets an operator find the log line; nothing about the request's content is echoed
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        });

    public static void Use(WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException b ? b.StatusCode
                : DatabaseOutage.Is(e) ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError,
            ExceptionHandler = context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
                {
                    // Every idle pooled connection died with the server: drop them all now (Npgsql's guidance after a
                    // failover) rather than let each fail one more request once the database is back.
                    context.RequestServices.GetService<Npgsql.NpgsqlDataSource>()?.Clear();
                    context.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                        $"The database is not answering (restarting or unreachable); nothing of this request was stored. Try again in {DatabaseOutage.RetryAfterSeconds} seconds.");
                }
                var detail = error is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                    ? $"body: the request body is larger than the limit of {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes"
                    : error is BadHttpRequestException bad ? bad.Message
                    : "The server could not answer this request. The failure is logged with the trace id below.";
                return WriteAsync(context, context.Response.StatusCode, detail);
            },
        });
        app.UseStatusCodePages(c => WriteAsync(c.HttpContext, c.HttpContext.Response.StatusCode, null));
    }

    public static async Task WriteAsync(HttpContext context, int status, string? detail)
    {
        var title = Title(status);
        context.Response.StatusCode = status;
        if (IsForPrograms(context.Request))
        {
            var problem = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail ?? (status == 404 ? $"path: nothing is served at {context.Request.Path}" : null),
                Type = $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
            };
            if (status == StatusCodes.Status415UnsupportedMediaType)
            {
                // the endpoint's declared body type refused the request before it ran: name the header
                var problem415 = $"'{context.Request.ContentType}' is not accepted here; send application/json";
                problem.Detail = detail ?? $"Content-Type: {problem415}";
                problem.Extensions["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = [problem415] };
            }
            var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            // written whatever the client's Accept header says: a rejection is always problem+json
            if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
                await Results.Problem(problem).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        var message = status == 404 ? "If you typed the web address, check it is correct." : detail ?? "";
        await context.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en" class="govuk-template"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}} – CasePathway</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="stylesheet" href="/lib/govuk/govuk-frontend.min.css"><link rel="stylesheet" href="/css/site.css"></head>
            <body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
            <h1 class="govuk-heading-l">{{WebUtility.HtmlEncode(title)}}</h1>
            <p class="govuk-body">{{WebUtility.HtmlEncode(message)}}</p>
            <p class="govuk-body"><a class="govuk-link" href="/breaches">Go to the breach list</a></p>
            </main></div></body></html>
            """);
    }

    private static string Title(int status) => status switch
    {
        400 => "The request has problems",
        404 => "Page not found",
        405 => "Method not allowed",
        413 => "Request too large",
        415 => "Unsupported media type",
        >= 500 => "Sorry, there is a problem with the service",
        _ => ReasonPhrase(status),
    };

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : $"Error {status}";
}

/// <summary>
/// Whether a failure is the database being unreachable or restarting rather than a fault of the request or the
/// code: clients then get 503 with Retry-After and try again, instead of a bare 500.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds a client is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 08: connection exceptions; 57P01–57P03: shut down by an administrator, crash, cannot connect now;
                // 53300: too many connections.
                case Npgsql.PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal)
                                                    || p.SqlState is "57P01" or "57P02" or "57P03" or "53300":
                    return true;
                case Npgsql.PostgresException:
                    return false;
                case Npgsql.NpgsqlException n when n.IsTransient:
                case System.Net.Sockets.SocketException:
                case EndOfStreamException:
                    return true;
            }
        }
        return false;
    }
}
