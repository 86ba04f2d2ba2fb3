using System.Globalization;

namespace CasePathway.Import;

/// <summary>
/// How much one import may read, so that a hostile or broken file is refused with a message rather than
/// exhausting the machine (docs/import.md, "File bounds"). Genuine files are far below the defaults; the
/// environment raises them: <c>CASEPATHWAY_IMPORT_MAX_ROWS</c>, <c>CASEPATHWAY_IMPORT_MAX_MB</c>.
/// </summary>
public sealed record ImportLimits
{
    public const string RowsVariable = "CASEPATHWAY_IMPORT_MAX_ROWS";
    public const string MegabytesVariable = "CASEPATHWAY_IMPORT_MAX_MB";
    public const string BatchVariable = "CASEPATHWAY_IMPORT_BATCH_EVENTS";

    public static readonly ImportLimits Default = new();

    /// <summary>Rows of a workbook or CSV folder, all sheets together.</summary>
    public long MaxRows { get; init; } = 1_000_000;

    /// <summary>
    /// Bytes of sheet data: an .xlsx's entries once unzipped (their declared sizes, checked before anything is
    /// decompressed), an .xls file, or a CSV folder's files together. A 1 MB .xlsx can unzip to gigabytes.
    /// </summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Characters of one JSON Lines line; an envelope within the door's limits is a few kilobytes.</summary>
    public int MaxLineCharacters { get; init; } = 1024 * 1024;

    /// <summary>JSON Lines events committed per transaction, so that neither memory nor a transaction grows with the file.</summary>
    public int BatchEvents { get; init; } = 5_000;

    /// <summary>The defaults, with <see cref="RowsVariable"/>, <see cref="MegabytesVariable"/> and <see cref="BatchVariable"/> applied when set.</summary>
    /// <param name="variable">Reads a variable (the process environment unless given).</param>
    public static ImportLimits FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        var limits = Default;
        if (Read(variable, RowsVariable) is { } rows) limits = limits with { MaxRows = rows };
        if (Read(variable, MegabytesVariable) is { } mb) limits = limits with { MaxBytes = mb * 1024 * 1024 };
        if (Read(variable, BatchVariable) is { } batch) limits = limits with { BatchEvents = (int)Math.Clamp(batch, 1, 100_000) };
        return limits;
    }

    internal string RowsAdvice => $"raise the limit with {RowsVariable}={(MaxRows * 2).ToString(CultureInfo.InvariantCulture)} if the file is genuine";

    internal string BytesAdvice => $"raise the limit with {MegabytesVariable}={(MaxBytes / (1024 * 1024) * 2).ToString(CultureInfo.InvariantCulture)} if the file is genuine";

    internal static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("#,0.#", CultureInfo.InvariantCulture) + " MB";

    private static long? Read(Func<string, string?> read, string variable)
    {
        var text = read(variable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and < long.MaxValue / (1024 * 1024)
            ? value
            : throw new ImportFileException($"{variable}: '{text}' is not a whole number greater than 0.");
    }
}
