using System.Globalization;
using System.Text.Json;
using CasePathway.Domain.Events;
using CasePathway.Domain.Time;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Import.Ssd;

/// <summary>
/// One CSV row of an SSD table, read by column name (case-insensitive; extra columns ignored), with the
/// problems found while reading its values. A row with any problem imports nothing.
/// </summary>
internal sealed class SsdRow(string table, IReadOnlyDictionary<string, int> header, string[] fields, int line, Instant asOf)
{
    private static readonly LocalDateTimePattern[] DateTimes =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss.FFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF"),
    ];

    public string Table { get; } = table;
    public int Line { get; } = line;
    public List<(string Column, string Reason)> Problems { get; } = [];

    /// <summary>The trimmed value, null when the column is absent or the cell blank.</summary>
    public string? Text(string column) =>
        header.TryGetValue(column, out var i) && i < fields.Length && fields[i].Trim() is { Length: > 0 } v ? v : null;

    public void Problem(string column, string reason) => Problems.Add((column, reason));

    /// <summary>
    /// A date (<c>yyyy-MM-dd</c>) or a London local date-time (<c>yyyy-MM-dd HH:mm[:ss]</c>). A time of exactly
    /// midnight is how SQL exports a date column, so it is read as the date alone.
    /// </summary>
    public Occurrence? Date(string column, bool required = false, string? what = null)
    {
        var text = Text(column);
        if (text is null)
        {
            if (required) Problem(column, $"is blank: the {what ?? "record"} has no date to import");
            return null;
        }
        Occurrence? occurred = null;
        if (OccurrenceText.ParseDate(text) is { } d) occurred = Occurrence.On(d);
        else
            foreach (var pattern in DateTimes)
                if (pattern.Parse(text) is { Success: true } p)
                {
                    occurred = p.Value.TimeOfDay == LocalTime.Midnight ? Occurrence.On(p.Value.Date) : Occurrence.At(London.InstantOf(p.Value));
                    break;
                }
        if (occurred is null)
        {
            Problem(column, $"'{DoorLimits.Shown(text)}' is not a date (yyyy-MM-dd or yyyy-MM-dd HH:mm[:ss])");
            return null;
        }
        if (DoorLimits.OccurredProblem(occurred.Value) is { } outside)
        {
            Problem(column, outside);
            return null;
        }
        if (occurred.Value.ToInstant() > asOf)
        {
            Problem(column, $"{occurred} is after the snapshot ({OccurrenceText.Format(asOf)}): a snapshot cannot hold what has not happened");
            return null;
        }
        return occurred;
    }

    /// <summary>A Y/N flag (also 1/0, true/false); null when blank.</summary>
    public bool? Flag(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (FlagValue(text) is { } value) return value;
        Problem(column, $"'{DoorLimits.Shown(text)}' is not a flag (Y or N)");
        return null;
    }

    /// <summary>
    /// An outcome JSON object of flags (<c>{"NFA_FLAG": "Y", …}</c>, keys with or without an <c>OUTCOME_</c>
    /// prefix). Every <c>…_FLAG</c> must be Y, N or blank; other keys (counts, comments) are ignored.
    /// </summary>
    public IReadOnlyDictionary<string, bool> Flags(string column)
    {
        var result = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        var text = Text(column);
        if (text is null) return result;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                Problem(column, "is not a JSON object of flags");
                return result;
            }
            foreach (var p in json.RootElement.EnumerateObject())
            {
                var name = p.Name.Trim().ToUpperInvariant();
                if (name.StartsWith("OUTCOME_", StringComparison.Ordinal)) name = name["OUTCOME_".Length..];
                if (!name.EndsWith("_FLAG", StringComparison.Ordinal)) continue;
                var value = p.Value.ValueKind switch
                {
                    JsonValueKind.Null => "",
                    JsonValueKind.String => p.Value.GetString()!.Trim(),
                    JsonValueKind.True => "Y",
                    JsonValueKind.False => "N",
                    JsonValueKind.Number => p.Value.GetRawText(),
                    _ => "?",
                };
                if (value.Length == 0) continue;
                if (FlagValue(value) is { } flag) result[name] = flag;
                else Problem(column, $"{DoorLimits.Shown(p.Name)}: '{DoorLimits.Shown(value)}' is not a flag (Y or N)");
            }
        }
        catch (JsonException)
        {
            Problem(column, "is not a JSON object of flags");
        }
        return result;
    }

    private static bool? FlagValue(string text) => text.ToUpperInvariant() switch
    {
        "Y" or "YES" or "1" or "TRUE" => true,
        "N" or "NO" or "0" or "FALSE" => false,
        _ => null,
    };

    public static string Shown(string text) => DoorLimits.Shown(text);

    public static string Format(Occurrence o) => o.ToString();

    public static string Number(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
