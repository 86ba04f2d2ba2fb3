using System.Net;

namespace CasePathway.Host.Web;

/// <summary>
/// The app serves children's social-care data, so it listens on this machine only: a reverse proxy that
/// authenticates people is the way in from elsewhere.
/// </summary>
public static class LoopbackUrls
{
    /// <summary>The URLs, each checked; an <see cref="ArgumentException"/> names the first one refused and why.</summary>
    public static IReadOnlyList<Uri> Parse(string urls)
    {
        var parts = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException("--urls: give at least one URL, e.g. http://127.0.0.1:5080");
        return parts.Select(ParseOne).ToList();
    }

    private static Uri ParseOne(string text)
    {
        // Kestrel's wildcards (http://*:80, http://+:80) are not URIs with a host we could check: refuse them by name.
        if (text.Contains("://*") || text.Contains("://+"))
            throw new ArgumentException($"--urls: '{text}' listens on every network interface; use http://127.0.0.1:PORT (loopback only)");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"--urls: '{text}' is not an http(s) URL such as http://127.0.0.1:5080");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
            throw new ArgumentException($"--urls: '{text}' has a path; give scheme, host and port only");
        if (!IsLoopback(uri.Host))
            throw new ArgumentException($"--urls: '{text}' is not a loopback address; the app only listens on 127.0.0.1, [::1] or localhost");
        return uri;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
