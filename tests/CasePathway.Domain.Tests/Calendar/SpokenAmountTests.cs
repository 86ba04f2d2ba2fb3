using CasePathway.Domain.Calendar;
using Shouldly;

namespace CasePathway.Domain.Tests.Calendar;

/// <summary>Time left or overdue in the unit a manager uses: hours only below two days.</summary>
public class SpokenAmountTests
{
    [Theory]
    [InlineData("0.02", TimeUnit.WorkingHours, "0.02 working hours")]
    [InlineData("1", TimeUnit.WorkingHours, "1 working hour")]
    [InlineData("47.99", TimeUnit.WorkingHours, "47.99 working hours")]
    [InlineData("47.996", TimeUnit.WorkingHours, "2 working days")] // rounds to 48: said in days, as 48 is
    [InlineData("48", TimeUnit.WorkingHours, "2 working days")]
    [InlineData("71.98", TimeUnit.WorkingHours, "2 working days")] // whole days counted down
    [InlineData("72", TimeUnit.WorkingHours, "3 working days")]
    [InlineData("6718", TimeUnit.WorkingHours, "279 working days")] // the year-old MASH breach
    [InlineData("5", TimeUnit.ElapsedHours, "5 hours")]
    [InlineData("47.5", TimeUnit.ElapsedHours, "47.5 hours")]
    [InlineData("49", TimeUnit.ElapsedHours, "2 days")]
    [InlineData("1", TimeUnit.WorkingDays, "1 working day")]
    [InlineData("300", TimeUnit.WorkingDays, "300 working days")]
    [InlineData("3", TimeUnit.CalendarDays, "3 days")]
    [InlineData("2", TimeUnit.CalendarMonths, "2 months")]
    public void Hour_rules_are_said_in_hours_below_two_days_and_in_whole_days_from_then(string amount, TimeUnit unit, string expected) =>
        ElapsedAmount.Spoken(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), unit).ShouldBe(expected);
}
