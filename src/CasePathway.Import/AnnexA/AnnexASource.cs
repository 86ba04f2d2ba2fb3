using System.Globalization;
using System.Text;
using CsvHelper;
using ExcelDataReader;

namespace CasePathway.Import.AnnexA;

/// <summary>Reads an Annex A workbook (.xlsx, .xls) or a folder of per-list CSV files into raw sheets.</summary>
public static class AnnexASource
{
    public static IReadOnlyList<RawSheet> Read(string path)
    {
        if (Directory.Exists(path)) return ReadCsvFolder(path);
        if (!File.Exists(path)) throw new ImportFileException($"{path} does not exist.");
        return ReadWorkbook(path);
    }

    public static IReadOnlyList<RawSheet> ReadWorkbook(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".csv")
            throw new ImportFileException($"{Path.GetFileName(path)} is a single CSV file: give the Annex A workbook (.xlsx) or a folder holding one CSV file per list.");
        // ExcelDataReader 3.6 asks for Windows-1252 as its fallback encoding even for .xlsx (checked: without
        // the provider every .xlsx fails with "No data is available for encoding 1252").
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            var sheets = new List<RawSheet>();
            do
            {
                var rows = new List<RawRow>();
                var number = 0;
                while (reader.Read())
                {
                    number++;
                    var cells = new object?[reader.FieldCount];
                    for (var i = 0; i < cells.Length; i++) cells[i] = reader.GetValue(i);
                    rows.Add(new RawRow(number, cells));
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

    public static IReadOnlyList<RawSheet> ReadCsvFolder(string folder)
    {
        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ImportFileException($"The folder {folder} holds no .csv files (one per Annex A list expected).");
        // Line numbers as an editor shows them, so a rejection's row can be found in the file.
        var options = new CsvReaderOptions { HasHeader = false, TrackLineNumbers = true };
        var sheets = new List<RawSheet>();
        foreach (var file in files)
        {
            using var csv = CsvReader.FromFile(file, options);
            var rows = new List<RawRow>();
            while (csv.Read())
            {
                var cells = new object?[csv.FieldCount];
                for (var i = 0; i < cells.Length; i++) cells[i] = csv.GetString(i);
                rows.Add(new RawRow((int)csv.LineNumber, cells));
            }
            sheets.Add(new RawSheet(Path.GetFileNameWithoutExtension(file), rows));
        }
        return sheets;
    }
}
