using NodaTime;

namespace CasePathway.Host.Runtime;

/// <summary>A clock stopped at one instant (CASEPATHWAY_NOW).</summary>
public sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
