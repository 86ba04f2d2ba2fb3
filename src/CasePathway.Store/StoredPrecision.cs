using NodaTime;

namespace CasePathway.Store;

/// <summary>
/// PostgreSQL keeps instants to the microsecond; NodaTime to the 100 ns tick. Wherever an instant is stamped
/// on an event, hashed or written as text for the read models, it is truncated to microseconds first, so what
/// is read back is exactly what was written and hashes the same. (Values travel to and from Npgsql as NodaTime
/// types, through Npgsql.NodaTime: see <see cref="Marten.EventStoreOptions.CreateDataSource"/>.)
/// </summary>
public static class StoredPrecision
{
    public static Instant Truncate(Instant instant)
    {
        // A tick is 100 ns, so a microsecond is 10 ticks; floor, also before 1970.
        var ticks = instant.ToUnixTimeTicks();
        return Instant.FromUnixTimeTicks(ticks - ((ticks % 10) + 10) % 10);
    }
}
