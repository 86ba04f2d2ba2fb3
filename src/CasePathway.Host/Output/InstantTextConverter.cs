using System.Text.Json;
using System.Text.Json.Serialization;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Host.Output;

/// <summary>An <see cref="Instant"/> in JSON as ISO text with its London offset (2022-10-03T09:15:00+01:00), both ways.</summary>
public sealed class InstantTextConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        OccurrenceText.ParseInstant(reader.GetString() ?? "") ?? throw new JsonException("not an instant");

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(OccurrenceText.Format(value));
}

/// <summary>How CasePathway writes JSON everywhere (CLI and HTTP API): camelCase, nulls left out, instants, months and
/// the domain's enums as their contract text (<see cref="WireNames"/>).</summary>
public static class JsonOutput
{
    /// <summary>Applies the shared settings to options the caller owns (e.g. the HTTP API's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        if (!options.Converters.OfType<InstantTextConverter>().Any())
            foreach (var converter in WireNames.Converters()) options.Converters.Add(converter);
        return options;
    }

    /// <summary>Indented, for people reading a command's output.</summary>
    public static readonly JsonSerializerOptions Indented = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
}
