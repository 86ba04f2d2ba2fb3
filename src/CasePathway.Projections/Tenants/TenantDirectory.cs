using System.Collections.Concurrent;
using System.Text.Json;
using CasePathway.Domain.Clocks;
using CasePathway.Domain.Tenants;
using CasePathway.Domain.Time;

namespace CasePathway.Projections.Tenants;

/// <summary>
/// Tenant configuration files (<c>&lt;tenant&gt;.json</c> in one folder, docs/operations.md). A tenant
/// without a file gets the national rulebook and the England &amp; Wales calendar.
/// </summary>
public sealed class TenantDirectory
{
    private readonly IReadOnlyDictionary<string, TenantSettings> _settings;
    private readonly ConcurrentDictionary<string, TenantContext> _contexts = new(StringComparer.Ordinal);

    public TenantDirectory(IEnumerable<TenantSettings> settings) =>
        _settings = settings.ToDictionary(s => s.Tenant, StringComparer.Ordinal);

    public static TenantDirectory Empty { get; } = new([]);

    public IEnumerable<TenantSettings> Configured => _settings.Values;

    public TenantContext For(string tenant) => _contexts.GetOrAdd(tenant, Build);

    /// <summary>Reads every <c>*.json</c> in <paramref name="folder"/>; a bad file is an error naming the file and field.</summary>
    public static TenantDirectory Load(string? folder)
    {
        if (folder is null || !Directory.Exists(folder)) return Empty;
        var settings = new List<TenantSettings>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            settings.Add(TenantSettingsFile.Read(file));
        return new TenantDirectory(settings);
    }

    private TenantContext Build(string tenant) => TenantContext.Of(_settings.GetValueOrDefault(tenant) ?? new TenantSettings(tenant));
}

/// <summary>The tenant file format: camelCase JSON, dates as yyyy-MM-dd.</summary>
internal static class TenantSettingsFile
{
    public static TenantSettings Read(string path)
    {
        var name = Path.GetFileName(path);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        string tenant = root.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : Path.GetFileNameWithoutExtension(path);
        var closures = new List<NodaTime.LocalDate>();
        if (root.TryGetProperty("closureDays", out var days))
        {
            foreach (var d in days.EnumerateArray())
                closures.Add(OccurrenceText.ParseDate(d.GetString() ?? "")
                    ?? throw new InvalidDataException($"{name}: closureDays: '{d}' is not a date (yyyy-MM-dd)"));
        }
        return new TenantSettings(
            tenant,
            root.TryGetProperty("name", out var n) ? n.GetString() : null,
            closures,
            root.TryGetProperty("rulebook", out var r) ? r.Clone() : null,
            root.TryGetProperty("childPopulation", out var p) && p.TryGetInt32(out var pop) ? pop : null,
            root.TryGetProperty("targets", out var tg) ? tg.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetDecimal()) : null,
            root.TryGetProperty("benchmarks", out var b) ? b.EnumerateObject().ToDictionary(x => x.Name, x => ReadBenchmarks(x.Value)) : null,
            root.TryGetProperty("alertsAt", out var at) ? ReadTimeOfDay(name, at) : null,
            root.TryGetProperty("breachReasons", out var reasons) ? ReadReasons(name, reasons) : null);
    }

    /// <summary>"07:30" or "07:30:15", London time.</summary>
    private static NodaTime.LocalTime ReadTimeOfDay(string file, JsonElement e)
    {
        var text = e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString();
        foreach (var pattern in new[] { NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm"), NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm:ss") })
            if (pattern.Parse(text) is { Success: true } parsed) return parsed.Value;
        throw new InvalidDataException($"{file}: alertsAt: '{text}' is not a time of day (HH:mm)");
    }

    // A council's own reasons for delay replace the default list (docs/rulebook.md, "Reasons for delay").
    private static BreachReasonList ReadReasons(string file, JsonElement reasons)
    {
        if (reasons.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{file}: breachReasons: must be an array of {{\"code\", \"label\", \"noteRequired\"?}}");
        var codes = reasons.EnumerateArray().Select((r, i) => r.ValueKind == JsonValueKind.Object
            ? new BreachReasonCode(
                r.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "",
                r.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "",
                r.TryGetProperty("noteRequired", out var n) && n.ValueKind == JsonValueKind.True)
            : throw new InvalidDataException($"{file}: breachReasons[{i}]: must be an object with code and label")).ToList();
        var (list, problem) = BreachReasonList.Of(codes);
        return list ?? throw new InvalidDataException($"{file}: {problem}");
    }

    private static Benchmarks ReadBenchmarks(JsonElement e) => new(
        e.TryGetProperty("statisticalNeighbours", out var s) ? s.GetDecimal() : null,
        e.TryGetProperty("region", out var r) ? r.GetDecimal() : null,
        e.TryGetProperty("england", out var en) ? en.GetDecimal() : null);
}
