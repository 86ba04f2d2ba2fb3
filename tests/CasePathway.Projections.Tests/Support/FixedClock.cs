using NodaTime;

namespace CasePathway.Projections.Tests.Support;

internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
