using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Events;
using CasePathway.Import.Demo;
using CasePathway.Projections.Tenants;
using NodaTime;

namespace CasePathway.Benchmarks.Scale;

/// <summary>
/// `fold-profile --children M [--years Y] [--seed S] [--rounds R] [--digest]`: the pure clock-history fold alone (no
/// database), on one generated council's children, single-threaded: the part of a rebuild and of the daemon's
/// catch-up that is ours and CPU-bound (docs/performance.md). Recorded times the store would infer are filled
/// in as an import fills them, so the folds see what a rebuild sees. <c>--digest</c> prints a hash of every version
/// the last round made (every field, in order), so a change meant to be only faster can be shown to give the same output.
/// </summary>
public static class FoldProfile
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 2, 12, 0);

    public static int Run(string[] args)
    {
        var digest = args.Contains("--digest");
        args = [.. args.Where(a => a != "--digest")];
        var at = Array.IndexOf(args, "--rounds");
        var rounds = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var options = ScaleOptions.Parse(at >= 0 ? [.. args[..at], .. args[Math.Min(at + 2, args.Length)..]] : args);
        var context = TenantDirectory.Empty.For("bench001");
        var children = DemoPathways.Stream("bench001", Now, options.Children, options.Years, options.Seed, FrontDoorShape.England)
            .Where(child => child.Count > 0)
            .Select(child => child.Select(e => e with { RecordedAt = e.RecordedAt ?? e.OccurredAt.ToInstant() }).ToList())
            .ToList();
        var events = children.Sum(c => c.Count);
        Console.WriteLine($"# {children.Count} children, {events} events; rounds of ClockHistory.Of over every child, one thread");
        IncrementalHash? hash = null;
        for (var round = 1; round <= rounds; round++)
        {
            var versions = 0;
            if (digest && round == rounds) hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var (cpu, bytes) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
            var w = Stopwatch.StartNew();
            foreach (var child in children)
            {
                var history = ClockHistory.Of("bench001", child[0].Child, child, context);
                versions += history.Count;
                // Records print every property, the clock's explanations and elapsed figure among them.
                if (hash is not null)
                    foreach (var version in history) hash.AppendData(Encoding.UTF8.GetBytes(version + "\n"));
            }
            w.Stop();
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"round {round}: {w.Elapsed.TotalSeconds:F2} s, {events / w.Elapsed.TotalSeconds:N0} events/s, CPU {used:F2} s ({used * 1e6 / events:F1} µs/event), {(GC.GetTotalAllocatedBytes(precise: true) - bytes) / events:N0} bytes/event, {versions} clock versions");
        }
        if (hash is not null) Console.WriteLine($"digest of the last round's versions: {Convert.ToHexString(hash.GetHashAndReset())}");
        return 0;
    }
}
