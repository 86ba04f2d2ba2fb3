using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using ExcelDataReader;

namespace CasePathway.Import.AnnexA;

/// <summary>
/// Reads an Annex A workbook (.xlsx, .xls) or a folder of per-list CSV files into raw sheets, within
/// <see cref="ImportLimits"/>: the sheet data's size is checked before it is read, and rows are counted as they are.
/// </summary>
public static class AnnexASource
{
    public static IReadOnlyList<RawSheet> Read(string path, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        if (Directory.Exists(path)) return ReadCsvFolder(path, limits);
        if (!File.Exists(path)) throw new ImportFileException($"{path} does not exist.");
        return ReadWorkbook(path, limits);
    }

    public static IReadOnlyList<RawSheet> ReadWorkbook(string path, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".csv")
            throw new ImportFileException($"{Path.GetFileName(path)} is a single CSV file: give the Annex A workbook (.xlsx) or a folder holding one CSV file per list.");
        CheckSize(path, limits);
        // ExcelDataReader 3.6 asks for Windows-1252 as its fallback encoding even for .xlsx (checked: without
        // the provider every .xlsx fails with "No data is available for encoding 1252").
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            var sheets = new List<RawSheet>();
            var rowsRead = 0L;
            do
            {
                var rows = new List<RawRow>();
                var number = 0;
                while (reader.Read())
                {
                    number++;
                    if (++rowsRead > limits.MaxRows) throw TooManyRows(path, limits);
                    rows.Add(new RawRow(number, Cells(reader.FieldCount, reader.GetValue)));
                }
                sheets.Add(new RawSheet(reader.Name, rows));
            } while (reader.NextResult());
            return sheets;
        }
        catch (Exception ex) when (ex is not ImportFileException and not OutOfMemoryException)
        {
            throw new ImportFileException(
                $"{Path.GetFileName(path)} is not a readable Excel workbook (.xlsx or .xls): {ex.Message.TrimEnd('.')}. " +
                "Save it from Excel as .xlsx, or export each list to CSV in one folder.", ex);
        }
    }

    public static IReadOnlyList<RawSheet> ReadCsvFolder(string folder, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ImportFileException($"The folder {folder} holds no .csv files (one per Annex A list expected).");
        var bytes = files.Sum(f => new FileInfo(f).Length);
        if (bytes > limits.MaxBytes)
            throw new ImportFileException(
                $"The CSV files in {folder} hold {ImportLimits.Megabytes(bytes)}, more than the limit of {ImportLimits.Megabytes(limits.MaxBytes)}; nothing was imported ({limits.BytesAdvice}).");
        // Line numbers as an editor shows them, so a rejection's row can be found in the file.
        var options = new CsvReaderOptions { HasHeader = false, TrackLineNumbers = true };
        var sheets = new List<RawSheet>();
        var rowsRead = 0L;
        foreach (var file in files)
        {
            using var csv = CsvReader.FromFile(file, options);
            var rows = new List<RawRow>();
            while (csv.Read())
            {
                if (++rowsRead > limits.MaxRows) throw TooManyRows(folder, limits);
                rows.Add(new RawRow((int)csv.LineNumber, Cells(csv.FieldCount, i => csv.GetString(i))));
            }
            sheets.Add(new RawSheet(Path.GetFileNameWithoutExtension(file), rows));
        }
        return sheets;
    }

    /// <summary>
    /// Refuses a workbook whose sheet data is larger than the limit, before any of it is decompressed: for an
    /// .xlsx the entries' uncompressed sizes from the zip's directory, for an .xls the file itself. A zip that
    /// understates a size cannot get round this: .NET's ZipArchive stops reading an entry at its stated size
    /// (tested), and ExcelDataReader reads through it.
    /// </summary>
    private static void CheckSize(string path, ImportLimits limits)
    {
        long total;
        try
        {
            using var stream = File.OpenRead(path);
            if (!IsZip(stream))
            {
                total = stream.Length;
            }
            else
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
                total = 0;
                foreach (var entry in zip.Entries)
                {
                    total += entry.Length;
                    if (total > limits.MaxBytes) break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ImportFileException($"{Path.GetFileName(path)} is not a readable Excel workbook (.xlsx or .xls): {ex.Message.TrimEnd('.')}.", ex);
        }
        if (total > limits.MaxBytes)
            throw new ImportFileException(
                $"{Path.GetFileName(path)} holds more than {ImportLimits.Megabytes(limits.MaxBytes)} of sheet data once unzipped, the limit; nothing was imported ({limits.BytesAdvice}).");
    }

    private static bool IsZip(Stream stream)
    {
        Span<byte> signature = stackalloc byte[4];
        var read = stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 4 && signature.SequenceEqual("PK\u0003\u0004"u8);
    }

    private static ImportFileException TooManyRows(string path, ImportLimits limits) => new(
        $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(path))} has more than {limits.MaxRows.ToString("#,0", CultureInfo.InvariantCulture)} rows, the limit; nothing was imported ({limits.RowsAdvice}).");

    /// <summary>A row's cells up to its last non-empty one: a sheet formatted out to column XFD costs nothing per row.</summary>
    private static object?[] Cells(int count, Func<int, object?> value)
    {
        var cells = new object?[count];
        var last = -1;
        for (var i = 0; i < count; i++)
        {
            cells[i] = value(i);
            if (cells[i] is not null) last = i;
        }
        return last == count - 1 ? cells : cells[..(last + 1)];
    }
}
