using CasePathway.Domain.Calendar;
using NodaTime;
using static CasePathway.Domain.Tests.Calendar.Times;

namespace CasePathway.Domain.Tests.Calendar;

public class BankHolidayTests
{
    [Fact]
    public void The_published_data_covers_2012_to_2027_with_every_date_of_the_merged_file()
    {
        BankHolidays.FirstPublishedYear.ShouldBe(2012);
        BankHolidays.LastPublishedYear.ShouldBe(2027);
        Enumerable.Range(2012, 16).Sum(y => BankHolidays.In(y).Count).ShouldBe(132);
        Enumerable.Range(2012, 16).SelectMany(BankHolidays.In).ShouldAllBe(h => !h.Computed);
    }

    [Theory]
    [InlineData(2011, false)]
    [InlineData(2012, true)]
    [InlineData(2027, true)]
    [InlineData(2028, false)]
    public void A_year_is_published_or_computed(int year, bool published)
    {
        BankHolidays.IsPublished(year).ShouldBe(published);
        WorkingCalendar.EnglandAndWales().IsComputedYear(year).ShouldBe(!published);
        BankHolidays.In(year).ShouldAllBe(h => h.Computed == !published);
    }

    [Theory]
    [InlineData(1900, "1900-04-15")]
    [InlineData(2000, "2000-04-23")]
    [InlineData(2008, "2008-03-23")]
    [InlineData(2011, "2011-04-24")]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2038, "2038-04-25")]
    public void Easter_Sunday_is_computed_by_the_Gregorian_algorithm(int year, string easter) =>
        BankHolidayPattern.EasterSunday(year).ShouldBe(Date(easter));

    [Fact]
    public void The_computed_pattern_reproduces_every_regular_published_holiday_and_the_differences_are_the_known_one_offs()
    {
        var published = Enumerable.Range(2012, 16).SelectMany(BankHolidays.In).ToDictionary(h => h.Date);
        var computed = Enumerable.Range(2012, 16).SelectMany(BankHolidayPattern.For).ToDictionary(h => h.Date);

        var onlyPublished = published.Keys.Except(computed.Keys).Order().ToList();
        var onlyComputed = computed.Keys.Except(published.Keys).Order().ToList();

        onlyPublished.ShouldBe(new[]
        {
            Date("2012-06-04"), // spring holiday moved for the Diamond Jubilee
            Date("2012-06-05"), // Diamond Jubilee
            Date("2020-05-08"), // early May holiday moved to VE Day
            Date("2022-06-02"), // spring holiday moved for the Platinum Jubilee
            Date("2022-06-03"), // Platinum Jubilee
            Date("2022-09-19"), // State Funeral of Queen Elizabeth II
            Date("2023-05-08"), // Coronation of King Charles III
        });
        onlyComputed.ShouldBe(new[] { Date("2012-05-28"), Date("2020-05-04"), Date("2022-05-30") });

        foreach (var date in published.Keys.Intersect(computed.Keys))
        {
            computed[date].Title.ShouldBe(published[date].Title, $"title of {date}");
            computed[date].IsSubstitute.ShouldBe(published[date].IsSubstitute, $"substitute flag of {date}");
        }
    }

    public static TheoryData<string, string, bool> ComputedYears => new()
    {
        // 2028: New Year's Day on a Saturday, Easter 16 Apr.
        { "2028-01-03", "New Year’s Day", true },
        { "2028-04-14", "Good Friday", false },
        { "2028-04-17", "Easter Monday", false },
        { "2028-05-01", "Early May bank holiday", false },
        { "2028-05-29", "Spring bank holiday", false },
        { "2028-08-28", "Summer bank holiday", false },
        { "2028-12-25", "Christmas Day", false },
        { "2028-12-26", "Boxing Day", false },
        // Christmas on a Saturday (2032), a Sunday (2033), a Friday (2037).
        { "2032-12-27", "Christmas Day", true },
        { "2032-12-28", "Boxing Day", true },
        { "2033-12-26", "Boxing Day", false },
        { "2033-12-27", "Christmas Day", true },
        { "2037-12-25", "Christmas Day", false },
        { "2037-12-28", "Boxing Day", true },
        // 2011, before the data: Easter 24 Apr.
        { "2011-04-22", "Good Friday", false },
        { "2011-04-25", "Easter Monday", false },
        { "2011-05-02", "Early May bank holiday", false },
    };

    [Theory, MemberData(nameof(ComputedYears))]
    public void Years_outside_the_data_follow_the_regular_pattern(string date, string title, bool substitute)
    {
        var holiday = BankHolidays.On(Date(date)).ShouldNotBeNull();
        holiday.Title.ShouldBe(title);
        holiday.IsSubstitute.ShouldBe(substitute);
        holiday.Computed.ShouldBeTrue();
        WorkingCalendar.EnglandAndWales().IsWorkingDay(Date(date)).ShouldBeFalse();
    }

    [Fact]
    public void The_computed_pattern_cannot_know_a_one_off_such_as_the_2011_royal_wedding()
    {
        // Fri 29 Apr 2011 was a bank holiday; outside the published data it counts as a working day
        // (docs/conventions.md, "Computed years").
        WorkingCalendar.EnglandAndWales().IsWorkingDay(Date("2011-04-29")).ShouldBeTrue();
        BankHolidays.In(2011).Count.ShouldBe(8);
    }

    [Fact]
    public void Every_year_has_eight_regular_holidays_on_weekdays()
    {
        for (var year = BankHolidays.FirstSupportedYear; year <= BankHolidays.LastSupportedYear; year++)
        {
            if (BankHolidays.IsPublished(year)) continue;
            var days = BankHolidays.In(year);
            days.Count.ShouldBe(8, $"year {year}");
            days.ShouldAllBe(h => h.Date.DayOfWeek != IsoDayOfWeek.Saturday && h.Date.DayOfWeek != IsoDayOfWeek.Sunday);
            days.Select(h => h.Date).Distinct().Count().ShouldBe(8);
        }
    }

    [Fact]
    public void Years_beyond_the_supported_range_are_refused_not_guessed()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => BankHolidays.In(2200));
        Should.Throw<ArgumentOutOfRangeException>(() => WorkingCalendar.EnglandAndWales().IsWorkingDay(Date("1899-12-29")))
            .Message.ShouldContain("1900–2199");
    }
}
