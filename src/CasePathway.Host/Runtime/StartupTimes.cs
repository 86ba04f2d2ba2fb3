using System.Diagnostics;

namespace CasePathway.Host.Runtime;

/// <summary>
/// With <c>CASEPATHWAY_STARTUP_TIMES=1</c>, each phase of a start-up is written to standard error as it ends: the
/// wall-clock and CPU milliseconds since the process started (docs/performance.md, "Start-up"). Otherwise nothing.
/// </summary>
public static class StartupTimes
{
    private static readonly bool On = Environment.GetEnvironmentVariable("CASEPATHWAY_STARTUP_TIMES") is "1" or "true";

    public static void Mark(string phase)
    {
        if (!On) return;
        using var process = Process.GetCurrentProcess();
        var wall = DateTime.Now - process.StartTime;
        Console.Error.WriteLine($"start-up: {phase,-40} {wall.TotalMilliseconds,7:F0} ms wall {process.TotalProcessorTime.TotalMilliseconds,7:F0} ms CPU (thread {Environment.CurrentManagedThreadId})");
    }
}
