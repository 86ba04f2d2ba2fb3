using CasePathway.Domain.Calendar;
using static CasePathway.Domain.Tests.Calendar.Times;

namespace CasePathway.Domain.Tests.Calendar;

public class ExplanationTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.EnglandAndWales();

    [Theory]
    [InlineData("2022-09-15", 15, TimeUnit.WorkingDays,
        "15 working days from Thu 15 Sep 2022, not counting weekends or Mon 19 Sep 2022 (Bank holiday: State Funeral of Queen Elizabeth II): due Fri 7 Oct 2022.")]
    [InlineData("2022-05-27", 10, TimeUnit.WorkingDays,
        "10 working days from Fri 27 May 2022, not counting weekends, Thu 2 Jun 2022 (Bank holiday: Spring bank holiday) or Fri 3 Jun 2022 (Bank holiday: Platinum Jubilee bank holiday): due Tue 14 Jun 2022.")]
    [InlineData("2022-09-13", 1, TimeUnit.WorkingDays, "1 working day from Tue 13 Sep 2022: due Wed 14 Sep 2022.")]
    [InlineData("2024-03-28T15:00", 72, TimeUnit.WorkingHours,
        "72 working hours from Thu 28 Mar 2024 15:00, counting all 24 hours of each working day and not counting weekends, Fri 29 Mar 2024 (Bank holiday: Good Friday) or Mon 1 Apr 2024 (Bank holiday: Easter Monday): due Thu 4 Apr 2024 15:00.")]
    [InlineData("2023-09-16T10:00", 24, TimeUnit.WorkingHours,
        "24 working hours from Sat 16 Sep 2023 10:00 (Sat 16 Sep 2023 is not a working day, so counting starts at 00:00 on Mon 18 Sep 2023), counting all 24 hours of each working day and not counting weekends: due Tue 19 Sep 2023 00:00.")]
    [InlineData("2023-03-24T10:00", 72, TimeUnit.ElapsedHours,
        "72 hours from Fri 24 Mar 2023 10:00 (the clocks go forward in between, so the London time moves by an hour): due Mon 27 Mar 2023 11:00.")]
    [InlineData("2023-01-31", 1, TimeUnit.CalendarMonths,
        "1 month from Tue 31 Jan 2023: due Tue 28 Feb 2023 (that month has no day 31, so its last day).")]
    [InlineData("2022-09-15", 10, TimeUnit.CalendarDays, "10 calendar days from Thu 15 Sep 2022: due Sun 25 Sep 2022.")]
    [InlineData("2027-12-20", 10, TimeUnit.WorkingDays,
        "10 working days from Mon 20 Dec 2027, not counting weekends, Mon 27 Dec 2027 (Bank holiday: Christmas Day (substitute day)), Tue 28 Dec 2027 (Bank holiday: Boxing Day (substitute day)) or Mon 3 Jan 2028 (Bank holiday: New Year’s Day (substitute day)): due Thu 6 Jan 2028. Bank holidays for 2028 are computed from the regular pattern, not published by gov.uk: a one-off holiday would be missed.")]
    public void The_due_date_is_explained_in_words(string start, int amount, TimeUnit unit, string expected)
    {
        var occurrence = start.Length == 10 ? On(start) : At(start);
        Calendar.ExplainDue(occurrence, new Limit(amount, unit)).ShouldBe(expected);
    }
}
