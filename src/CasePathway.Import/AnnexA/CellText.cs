using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Import.AnnexA;

/// <summary>
/// The value conventions of Annex A workbooks: Excel serial dates and dates as text, <c>#N/A</c> for
/// nothing, coded values with or without their letter (<c>b) Female</c>, <c>Female</c>), ids with a
/// trailing <c>.0</c>.
/// </summary>
public static partial class CellText
{
    private static readonly LocalDate ExcelEpoch = new(1899, 12, 30);

    private static readonly LocalDatePattern[] DatePatterns =
    [
        .. new[]
        {
            "dd/MM/uuuu", "d/M/uuuu", "uuuu-MM-dd", "d-MMM-uuuu", "d MMM uuuu", "d-MMMM-uuuu", "d MMMM uuuu",
            "dd-MM-uuuu", "dd.MM.uuuu", "uuuu/MM/dd", "d-MMM-yy", "d MMM yy",
        }.Select(p => LocalDatePattern.Create(p, CultureInfo.InvariantCulture)),
    ];

    /// <summary>Trimmed text of a cell; null for blanks and the spreadsheet's "nothing" markers.</summary>
    public static string? Text(object? cell)
    {
        var text = cell switch
        {
            null => null,
            string s => s,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "Yes" : "No",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => cell.ToString(),
        };
        if (text is null) return null;
        text = text.Replace('\u00A0', ' ').Trim();
        return text.Length == 0 || IsNothing(text) ? null : text;
    }

    private static bool IsNothing(string text) =>
        text.Equals("#N/A", StringComparison.OrdinalIgnoreCase) || text.Equals("N/A", StringComparison.OrdinalIgnoreCase)
        || text.Equals("NULL", StringComparison.OrdinalIgnoreCase) || text.Equals("#VALUE!", StringComparison.OrdinalIgnoreCase)
        || text.Equals("#REF!", StringComparison.OrdinalIgnoreCase);

    /// <summary>An identifier: whole numbers lose a trailing <c>.0</c> (Excel stores ids as numbers).</summary>
    public static string? Id(object? cell)
    {
        if (cell is double d && d == Math.Floor(d) && Math.Abs(d) < 1e15) return ((long)d).ToString(CultureInfo.InvariantCulture);
        var text = Text(cell);
        if (text is null) return null;
        var m = TrailingZeros().Match(text);
        return m.Success ? m.Groups[1].Value : text;
    }

    /// <summary>A date, or an error saying what the cell held. Null value and null error: the cell is empty.</summary>
    public static (LocalDate? Date, string? Error) Date(object? cell)
    {
        switch (cell)
        {
            case DateTime dt:
                return (LocalDate.FromDateTime(dt), null);
            case double serial:
                return FromSerial(serial, serial.ToString("R", CultureInfo.InvariantCulture));
        }
        var text = Text(cell);
        if (text is null) return (null, null);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return FromSerial(number, text);
        // A date-time written as text: the date part is what counts.
        var datePart = DateTimeTail().Replace(text, "");
        foreach (var pattern in DatePatterns)
        {
            var parsed = pattern.Parse(datePart);
            if (parsed.Success) return (parsed.Value, null);
        }
        return (null, $"'{text}' is not a date (expected e.g. 16/09/2020, 2020-09-16 or an Excel date)");
    }

    private static (LocalDate?, string?) FromSerial(double serial, string text)
    {
        // Serial 1 is 1900-01-01; anything outside 1900–2199 is not a date a case record can hold. A time
        // of day is the fraction, and only the day counts.
        if (serial < 1 || serial >= 109574)
            return (null, $"'{text}' is not a date (a number outside Excel's date range)");
        return (ExcelEpoch.PlusDays((int)Math.Floor(serial)), null);
    }

    /// <summary>Yes/no in its many spellings (<c>a) Yes</c>, <c>Y</c>, <c>TRUE</c>, <c>1</c>); null when blank or unrecognised.</summary>
    public static bool? YesNo(object? cell)
    {
        var text = Plain(cell)?.ToLowerInvariant();
        return text switch
        {
            null => null,
            "yes" or "y" or "true" or "1" => true,
            "no" or "n" or "false" or "0" => false,
            _ => null,
        };
    }

    /// <summary>A coded value without its list letter: <c>q) 6: Police</c> → <c>6: Police</c>; <c>b) Female</c> → <c>Female</c>.</summary>
    public static string? Plain(object? cell)
    {
        var text = Text(cell);
        return text is null ? null : LetterPrefix().Replace(text, "").Trim() is { Length: > 0 } plain ? plain : null;
    }

    /// <summary>A contact or referral source as one spelling: <c>q) 6: Police</c> and <c>POLICE</c> both give <c>police</c>.</summary>
    public static string? Source(object? cell)
    {
        var plain = Plain(cell);
        if (plain is null) return null;
        var described = SourceCode().Replace(plain, "").Trim();
        return (described.Length > 0 ? described : plain).ToLowerInvariant();
    }

    [GeneratedRegex(@"^(-?\d+)\.0+$")]
    private static partial Regex TrailingZeros();

    [GeneratedRegex(@"^[a-zA-Z]\)\s*")]
    private static partial Regex LetterPrefix();

    [GeneratedRegex(@"^[0-9][0-9A-Za-z]{0,2}\s*:\s*")]
    private static partial Regex SourceCode();

    [GeneratedRegex(@"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")]
    private static partial Regex DateTimeTail();
}
