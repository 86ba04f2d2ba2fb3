using CasePathway.Host.Cli;

namespace CasePathway.Host.Tests.Features.Calendar;

/// <summary>The `calendar` commands, parsed and invoked in-process through the real command tree.</summary>
public class CalendarCliTests
{
    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("2022-10-07", "calendar", "due", "--start", "2022-09-15", "--working-days", "15")]
    [InlineData("2024-04-04T15:00", "calendar", "due", "--start", "2024-03-28T15:00", "--working-hours", "72")]
    [InlineData("2022-09-25", "calendar", "due", "--start", "2022-09-15", "--calendar-days", "10")]
    [InlineData("2024-02-29", "calendar", "due", "--start", "2024-01-31", "--months", "1")]
    [InlineData("2024-10-28T09:00", "calendar", "due", "--start", "2024-10-25T10:00", "--hours", "72")]
    [InlineData("2022-10-07", "calendar", "due", "--start", "2022-09-15T09:15:00+01:00", "--working-days", "15")]
    [InlineData("2024-01-02", "calendar", "due", "--start", "2023-12-22", "--working-days", "1", "--closure-day", "2023-12-27", "--closure-day", "2023-12-28", "--closure-day", "2023-12-29")]
    [InlineData("15", "calendar", "between", "--start", "2022-09-15", "--end", "2022-10-07")]
    [InlineData("0", "calendar", "between", "--start", "2022-09-15", "--end", "2022-09-15")]
    [InlineData("72.33", "calendar", "between", "--start", "2024-03-28T15:00", "--end", "2024-04-04T15:20", "--unit", "working-hours")]
    public async Task Prints_the_answer_alone(string expected, params string[] args)
    {
        var (exit, output, error) = await Run(args);
        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldBe(expected + Environment.NewLine);
    }

    [Fact]
    public async Task Explain_lists_the_days_not_counted_with_their_reasons()
    {
        var (exit, output, _) = await Run("calendar", "explain", "--start", "2022-09-15", "--working-days", "15");
        exit.ShouldBe(0);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("15 working days from Thu 15 Sep 2022, not counting weekends or Mon 19 Sep 2022 (Bank holiday: State Funeral of Queen Elizabeth II): due Fri 7 Oct 2022.");
        lines.ShouldContain("2022-09-19 Mon Bank holiday: State Funeral of Queen Elizabeth II");
        lines.ShouldContain("2022-09-17 Sat Saturday");
        lines.Count(l => l.StartsWith("2022-")).ShouldBe(7);
    }

    [Fact]
    public async Task Explain_with_an_end_counts_and_notes_computed_years()
    {
        var (exit, output, _) = await Run("calendar", "explain", "--start", "2027-12-20", "--end", "2028-01-06");
        exit.ShouldBe(0);
        output.ShouldStartWith("10 working days after Mon 20 Dec 2027 up to and including Thu 6 Jan 2028.");
        output.ShouldContain("Bank holidays for 2028 are computed from the regular pattern");
        output.ShouldContain("2028-01-03 Mon Bank holiday: New Year’s Day (substitute day) (computed, not published)");
        output.ShouldContain("2027-12-27 Mon Bank holiday: Christmas Day (substitute day)" + Environment.NewLine);
    }

    [Theory]
    [InlineData("--start: '2022-13-01' is not a date", "calendar", "due", "--start", "2022-13-01", "--working-days", "1")]
    [InlineData("--start is required", "calendar", "due", "--working-days", "1")]
    [InlineData("Give a limit", "calendar", "due", "--start", "2022-09-15")]
    [InlineData("Give one limit, not --working-days and --hours", "calendar", "due", "--start", "2022-09-15", "--working-days", "1", "--hours", "3")]
    [InlineData("--months: 'x' is not a whole number", "calendar", "due", "--start", "2022-09-15", "--months", "x")]
    [InlineData("--working-days: '-3' is not a whole number", "calendar", "due", "--start", "2022-09-15", "--working-days", "-3")]
    [InlineData("--end is required", "calendar", "between", "--start", "2022-09-15")]
    [InlineData("--end: 'tomorrow' is not a date", "calendar", "between", "--start", "2022-09-15", "--end", "tomorrow")]
    [InlineData("--unit: 'weeks'", "calendar", "between", "--start", "2022-09-15", "--end", "2022-10-07", "--unit", "weeks")]
    [InlineData("--closure-day: '27/12/2023' is not a date", "calendar", "due", "--start", "2023-12-22", "--working-days", "1", "--closure-day", "27/12/2023")]
    [InlineData("either a limit", "calendar", "explain", "--start", "2022-09-15", "--working-days", "1", "--end", "2022-09-20")]
    [InlineData("1900–2199", "calendar", "due", "--start", "2199-12-30", "--working-days", "5")]
    public async Task Bad_input_exits_2_with_a_message_naming_the_problem_on_stderr(string message, params string[] args)
    {
        var (exit, output, error) = await Run(args);
        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain(message);
    }
}
