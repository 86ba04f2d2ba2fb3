using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Time;
using static CasePathway.Domain.Tests.Clocks.Ev;

namespace CasePathway.Domain.Tests.Clocks;

public class ClockStatusesTests
{
    private static readonly Deadline Due7Oct = new(TimeUnit.WorkingDays, D("2022-10-07"), null, null);

    [Theory]
    [InlineData("2022-10-07", null, false, "2022-12-01T00:00", ClockStatus.Met)]
    [InlineData("2022-10-10", null, false, "2022-12-01T00:00", ClockStatus.Late)]
    [InlineData("2022-10-10", null, true, "2022-12-01T00:00", ClockStatus.Late)] // a stop seen is measured
    [InlineData(null, "2022-10-01", false, "2022-12-01T00:00", ClockStatus.Cancelled)]
    [InlineData(null, "2022-10-01", true, "2022-12-01T00:00", ClockStatus.Cancelled)]
    [InlineData(null, null, true, "2022-12-01T00:00", ClockStatus.NotMeasurable)]
    [InlineData(null, null, false, "2022-10-07T23:59", ClockStatus.Running)]
    [InlineData(null, null, false, "2022-10-08T00:00", ClockStatus.Breached)]
    public void Status_follows_stop_then_cancel_then_measurability_then_due(string? stopped, string? cancelled, bool notMeasurable, string at, ClockStatus expected) =>
        ClockStatuses.At(Due7Oct, stopped is null ? null : Occ(stopped), cancelled is null ? null : Occ(cancelled), notMeasurable, At(at)).ShouldBe(expected);

    [Fact]
    public void A_day_deadline_is_overdue_from_the_start_of_the_next_london_day() =>
        Due7Oct.OverdueFrom().ShouldBe(At("2022-10-08T00:00"));
}
