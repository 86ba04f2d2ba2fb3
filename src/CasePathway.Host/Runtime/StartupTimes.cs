using System.Diagnostics;

namespace CasePathway.Host.Runtime;

/// <summary>
/// With <c>CASEPATHWAY_STARTUP_TIMES=1</c>, each phase of a start-up is written to standard error as it ends: the
/// wall-clock and CPU milliseconds since the process started and the methods the JIT has compiled so far (what
/// ReadyToRun could not precompile; docs/performance.md, "Start-up"), then the first answer of /health/live. Otherwise nothing.
/// </summary>
public static class StartupTimes
{
    private static readonly bool On = Environment.GetEnvironmentVariable("CASEPATHWAY_STARTUP_TIMES") is "1" or "true";

    private static int liveAnswered;

    /// <summary>The first answer of <c>/health/live</c>: where <c>ops/bench-startup</c> stops its clock.</summary>
    public static void LiveAnswered()
    {
        if (On && Interlocked.Exchange(ref liveAnswered, 1) == 0) Mark("first /health/live answered");
    }

    public static void Mark(string phase)
    {
        if (!On) return;
        using var process = Process.GetCurrentProcess();
        var wall = DateTime.Now - process.StartTime;
        Console.Error.WriteLine($"start-up: {phase,-40} {wall.TotalMilliseconds,7:F0} ms wall {process.TotalProcessorTime.TotalMilliseconds,7:F0} ms CPU, JIT {System.Runtime.JitInfo.GetCompiledMethodCount(),6} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,5:F0} ms (thread {Environment.CurrentManagedThreadId})");
    }
}
