using System.Text.Json;
using System.Text.Json.Serialization;
using CasePathway.Domain.Calendar;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Rules;
using CasePathway.Domain.Scorecard;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Output;

/// <summary>
/// A domain enum in JSON by its contract name. The names are spelled once, in the domain's name functions
/// (<see cref="ClockStatusNames"/>, <see cref="TimeUnitNames"/>, <see cref="IndicatorNames"/>); read models
/// carry the enum and only the edge writes the name.
/// </summary>
public sealed class WireNameConverter<T>(Func<T, string> name) : JsonConverter<T> where T : struct, Enum
{
    private readonly Dictionary<string, T> _byName = Enum.GetValues<T>().ToDictionary(name, StringComparer.Ordinal);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } text && _byName.TryGetValue(text, out var value)
            ? value
            : throw new JsonException($"not one of: {string.Join(", ", _byName.Keys)}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(name(value));
}

/// <summary>A month in JSON as 2022-10 (<see cref="IndicatorNames.Text"/>).</summary>
public sealed class YearMonthTextConverter : JsonConverter<YearMonth>
{
    public override YearMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        NodaTime.Text.YearMonthPattern.Iso.Parse(reader.GetString() ?? "") is { Success: true } month ? month.Value : throw new JsonException("not a month (yyyy-MM)");

    public override void Write(Utf8JsonWriter writer, YearMonth value, JsonSerializerOptions options) => writer.WriteStringValue(IndicatorNames.Text(value));
}

/// <summary>A date in JSON as 2022-10-03, as the contract writes dates (<see cref="OccurrenceText.FormatDate"/>).</summary>
public sealed class LocalDateTextConverter : JsonConverter<LocalDate>
{
    public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        OccurrenceText.ParseDate(reader.GetString() ?? "") ?? throw new JsonException("not a date (yyyy-MM-dd)");

    public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) => writer.WriteStringValue(OccurrenceText.FormatDate(value));
}

/// <summary>Every converter of the read models' typed values.</summary>
public static class WireNames
{
    public static IEnumerable<JsonConverter> Converters() =>
    [
        new InstantTextConverter(),
        new YearMonthTextConverter(),
        new LocalDateTextConverter(),
        new WireNameConverter<ClockStatus>(s => s.Name()),
        new WireNameConverter<TimeUnit>(u => u.Name()),
        new WireNameConverter<IndicatorKind>(k => k.Name()),
        new WireNameConverter<IndicatorPeriod>(p => p.Name()),
        new WireNameConverter<TravelDirection>(d => d.Name()),
        new WireNameConverter<TravelJudgement>(j => j.Name()),
    ];
}
