using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// gov.uk's bank-holidays.json, England &amp; Wales events 2012–2027, embedded in this assembly
/// (Calendar/Data/README.md gives its provenance). Read once per process.
/// </summary>
internal static class PublishedBankHolidays
{
    private const string ResourceName = "CasePathway.Domain.Calendar.BankHolidays.json";

    private static readonly Lazy<IReadOnlyDictionary<int, IReadOnlyList<BankHoliday>>> ByYear = new(Load);

    public static IReadOnlyDictionary<int, IReadOnlyList<BankHoliday>> Years => ByYear.Value;

    private static IReadOnlyDictionary<int, IReadOnlyList<BankHoliday>> Load()
    {
        using var stream = typeof(PublishedBankHolidays).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from CasePathway.Domain.");
        using var json = JsonDocument.Parse(stream);
        var holidays = new List<BankHoliday>();
        foreach (var e in json.RootElement.GetProperty("events").EnumerateArray())
        {
            var text = e.GetProperty("date").GetString() ?? "";
            var date = LocalDatePattern.Iso.Parse(text).GetValueOrThrow();
            var title = e.GetProperty("title").GetString() ?? "";
            var notes = e.TryGetProperty("notes", out var n) ? n.GetString() ?? "" : "";
            holidays.Add(new BankHoliday(date, title, notes.Contains("Substitute", StringComparison.OrdinalIgnoreCase), Computed: false));
        }
        return holidays
            .GroupBy(h => h.Date.Year)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<BankHoliday>)g.OrderBy(h => h.Date).ToList());
    }
}
