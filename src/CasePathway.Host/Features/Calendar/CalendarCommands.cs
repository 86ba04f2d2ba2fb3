using System.CommandLine;
using System.Globalization;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Features.Calendar;

/// <summary>
/// `calendar due | between | explain`: the counting conventions of docs/conventions.md from the command
/// line, without a database. Bad input exits 2 with a message naming the option, on stderr.
/// </summary>
public static class CalendarCommands
{
    private const int BadInput = 2;

    private static readonly (string Name, TimeUnit Unit, string Description)[] Units =
    [
        ("--working-days", TimeUnit.WorkingDays, "N working days (the start date is day 0)"),
        ("--working-hours", TimeUnit.WorkingHours, "N working hours (all 24 hours of each working day)"),
        ("--calendar-days", TimeUnit.CalendarDays, "N calendar days"),
        ("--months", TimeUnit.CalendarMonths, "N calendar months (31 Jan + 1 month = end of February)"),
        ("--hours", TimeUnit.ElapsedHours, "N elapsed hours (exact across clock changes)"),
    ];

    public static Command Create()
    {
        var calendar = new Command("calendar", "England & Wales working days and due dates, by the counting conventions. Needs no database.");
        calendar.Subcommands.Add(DueCommand());
        calendar.Subcommands.Add(BetweenCommand());
        calendar.Subcommands.Add(ExplainCommand());
        return calendar;
    }

    private static Command DueCommand()
    {
        var options = new CommonOptions();
        var command = new Command("due", "The due date (or local date-time, for hour limits) from a start and a limit.");
        options.AddTo(command, withUnits: true, withEnd: false);
        command.SetAction(parse => Run(parse, () =>
        {
            var (calendar, start) = options.Read(parse);
            var limit = options.ReadLimit(parse) ?? throw new BadInputException(NoUnitMessage);
            parse.InvocationConfiguration.Output.WriteLine(calendar.Due(start, limit).ToString());
        }));
        return command;
    }

    private static Command BetweenCommand()
    {
        var options = new CommonOptions();
        var unit = new Option<string>("--unit")
        {
            Description = "the unit to count in: working-days (default), working-hours, hours, calendar-days, months",
        };
        var command = new Command("between", "How much has elapsed from --start to --end: working days d with start < d ≤ end, unless --unit says otherwise.");
        options.AddTo(command, withUnits: false, withEnd: true);
        command.Options.Add(unit);
        command.SetAction(parse => Run(parse, () =>
        {
            var (calendar, start) = options.Read(parse);
            var end = options.ReadEnd(parse) ?? throw new BadInputException("--end is required: the date (or date-time) to count up to.");
            var inUnit = ReadUnitName(parse.GetValue(unit));
            var elapsed = calendar.Elapsed(start, end, inUnit);
            parse.InvocationConfiguration.Output.WriteLine(ElapsedAmount.Text(elapsed));
        }));
        return command;
    }

    private static Command ExplainCommand()
    {
        var options = new CommonOptions();
        var command = new Command("explain", "How a due date (with a limit) or a count (with --end) was reached: the non-working days not counted, with reasons.");
        options.AddTo(command, withUnits: true, withEnd: true);
        command.SetAction(parse => Run(parse, () =>
        {
            var (calendar, start) = options.Read(parse);
            var limit = options.ReadLimit(parse);
            var end = options.ReadEnd(parse);
            var output = parse.InvocationConfiguration.Output;
            LocalDate until;
            if (limit is not null && end is not null)
                throw new BadInputException("Give either a limit (--working-days, …) or --end, not both.");
            if (limit is not null)
            {
                output.WriteLine(calendar.ExplainDue(start, limit));
                until = calendar.Due(start, limit).Date;
            }
            else if (end is { } stop)
            {
                until = stop.Date;
                output.WriteLine(
                    $"{calendar.WorkingDaysBetween(start.Date, until)} working days after {WorkingCalendar.Describe(start.Date)} "
                    + $"up to and including {WorkingCalendar.Describe(until)}.{calendar.ComputedYearsNote(start.Date.Year, until.Year)}");
            }
            else throw new BadInputException(NoUnitMessage + " Or give --end to count working days up to a date.");

            var skipped = calendar.NonWorkingDaysBetween(start.Date, until);
            output.WriteLine(skipped.Count == 0 ? "No non-working days in between." : "Not counted:");
            foreach (var day in skipped)
                output.WriteLine($"{OccurrenceText.FormatDate(day.Date)} {day.Date.DayOfWeek.ToString()[..3]} {day.Reason}{(day.Computed ? " (computed, not published)" : "")}");
        }));
        return command;
    }

    private const string NoUnitMessage =
        "Give a limit: one of --working-days, --working-hours, --calendar-days, --months or --hours with a whole number.";

    private static int Run(ParseResult parse, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (BadInputException e)
        {
            parse.InvocationConfiguration.Error.WriteLine(e.Message);
            return BadInput;
        }
        catch (ArgumentOutOfRangeException e)
        {
            // Dates outside the calendar's years: still the user's input.
            parse.InvocationConfiguration.Error.WriteLine(e.Message);
            return BadInput;
        }
    }

    private static TimeUnit ReadUnitName(string? text) => text switch
    {
        null or "working-days" => TimeUnit.WorkingDays,
        "working-hours" => TimeUnit.WorkingHours,
        "hours" => TimeUnit.ElapsedHours,
        "calendar-days" => TimeUnit.CalendarDays,
        "months" => TimeUnit.CalendarMonths,
        _ => throw new BadInputException($"--unit: '{text}' is not one of working-days, working-hours, hours, calendar-days, months."),
    };

    /// <summary>
    /// A date (2022-09-15), a London local date-time (2024-03-28T15:00) or an instant with an offset
    /// (2022-10-03T09:15:00+01:00). Local date-times in the autumn overlap take the earlier instant; those
    /// in the spring gap do not exist and are refused.
    /// </summary>
    private static Occurrence ReadOccurrence(string option, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new BadInputException($"{option} is required: a date (2022-09-15) or a local date-time (2024-03-28T15:00).");
        if (OccurrenceText.ParseDate(text) is { } date) return Occurrence.On(date);
        if (OccurrenceText.ParseInstant(text) is { } instant) return Occurrence.At(instant);
        if (OccurrenceText.ParseLocalDateTime(text) is { } local)
            return London.TryInstantOf(local, out var localInstant, out var gap) ? Occurrence.At(localInstant) : throw new BadInputException($"{option}: {gap}");
        throw new BadInputException(
            $"{option}: '{text}' is not a date (2022-09-15), a London local date-time (2024-03-28T15:00) or an instant with an offset (2022-10-03T09:15:00+01:00).");
    }

    /// <summary>The options the three commands share, created per command (an option belongs to one command).</summary>
    private sealed class CommonOptions
    {
        private readonly Option<string> start = new("--start") { Description = "the start: a date, a London local date-time, or an instant with an offset" };
        private readonly Option<string> end = new("--end") { Description = "the end: a date, a London local date-time, or an instant with an offset" };
        private readonly Option<string[]> closures = new("--closure-day")
        {
            Description = "a tenant closure day (a date); repeat the option for several",
            AllowMultipleArgumentsPerToken = true,
        };
        private readonly List<(Option<string> Option, TimeUnit Unit)> units = [];

        public void AddTo(Command command, bool withUnits, bool withEnd)
        {
            command.Options.Add(start);
            if (withEnd) command.Options.Add(end);
            command.Options.Add(closures);
            if (!withUnits) return;
            foreach (var (name, unit, description) in Units)
            {
                var option = new Option<string>(name) { Description = description };
                units.Add((option, unit));
                command.Options.Add(option);
            }
        }

        public (WorkingCalendar Calendar, Occurrence Start) Read(ParseResult parse)
        {
            var start = ReadOccurrence("--start", parse.GetValue(this.start));
            var closureDays = (parse.GetValue(closures) ?? []).Select(text => OccurrenceText.ParseDate(text)
                ?? throw new BadInputException($"--closure-day: '{text}' is not a date (2023-12-27).")).ToList();
            return (WorkingCalendar.EnglandAndWales(closureDays), start);
        }

        public Occurrence? ReadEnd(ParseResult parse) =>
            parse.GetValue(end) is { } text ? ReadOccurrence("--end", text) : null;

        public Limit? ReadLimit(ParseResult parse)
        {
            var given = units.Select(u => (u.Option, u.Unit, Text: parse.GetValue(u.Option))).Where(u => u.Text is not null).ToList();
            if (given.Count > 1)
                throw new BadInputException($"Give one limit, not {string.Join(" and ", given.Select(g => g.Option.Name))}.");
            if (given.Count == 0) return null;
            var (option, unit, text) = given[0];
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                throw new BadInputException($"{option.Name}: '{text}' is not a whole number (0 or more).");
            return new Limit(amount, unit);
        }
    }

    private sealed class BadInputException(string message) : Exception(message);
}
