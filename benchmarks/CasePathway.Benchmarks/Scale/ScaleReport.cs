using System.Globalization;
using System.Text.Json;

namespace CasePathway.Benchmarks.Scale;

/// <summary>The run's figures, each beside the limit it is read against, as a table for people and JSON for keeping.</summary>
public sealed class ScaleReport(ScaleOptions options)
{
    private readonly List<Line> _lines = [];

    private sealed record Line(string Size, string What, string Figure, string Against, string? Ratio);

    internal void Size(string size, long events, long children) =>
        _lines.Add(new Line(size, "data", $"{events:N0} events", $"{children:N0} children in {options.Councils} councils", null));

    internal void Throughput(string size, string what, long events, TimeSpan elapsed, TimeSpan? limit = null)
    {
        var rate = events / elapsed.TotalSeconds;
        var limitRate = limit is { } l ? events / l.TotalSeconds : (double?)null;
        _lines.Add(new Line(size, what, $"{rate:N0} events/s ({elapsed.TotalSeconds:0.00} s)",
            limitRate is { } r ? $"{r:N0} events/s" : "", limitRate is { } lr ? (rate / lr).ToString("0.00", CultureInfo.InvariantCulture) : null));
    }

    internal void Latencies(string size, string what, IReadOnlyList<TimeSpan> samples, TimeSpan? elapsed = null, LatencyRun? limit = null)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        var figure = $"p50 {Percentile(sorted, 0.5):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms";
        double? rate = elapsed is { } e ? samples.Count / e.TotalSeconds : null;
        if (rate is { } perSecond) figure = $"{perSecond:N0}/s, " + figure;
        var against = limit is null ? "" : $"{limit.PerSecond:N0}/s, p99 {Percentile(limit.Latencies.Select(s => s.TotalMilliseconds).Order().ToArray(), 0.99):0.0} ms";
        _lines.Add(new Line(size, what, figure, against,
            limit is not null && rate is { } r ? (r / limit.PerSecond).ToString("0.00", CultureInfo.InvariantCulture) : null));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public void Write(TextWriter output)
    {
        output.WriteLine($"| size | measure | CasePathway | limit (same run) | ratio |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var l in _lines) output.WriteLine($"| {l.Size} | {l.What} | {l.Figure} | {l.Against} | {l.Ratio ?? ""} |");
    }

    public string ToJson() => JsonSerializer.Serialize(new { options, lines = _lines }, new JsonSerializerOptions { WriteIndented = true });
}
