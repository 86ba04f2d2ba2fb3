using System.IO.Compression;
using System.Security;
using System.Text;

namespace CasePathway.Import.Tests.AnnexA;

/// <summary>A cell typed as Excel stores it: an error such as <c>#N/A</c>, or a number shown with a date format.</summary>
internal sealed record ExcelError(string Code);

internal sealed record ExcelDate(double Serial);

/// <summary>
/// Writes a minimal .xlsx (SpreadsheetML in a zip) so tests can hold exactly the quirks real workbooks
/// have: numbers, text, error cells, date-formatted serials, missing cells and missing rows.
/// A row given as null is left out of the sheet altogether, as Excel does for a row never touched.
/// </summary>
internal static class TestWorkbook
{
    public static string Write(string path, params (string Name, object?[]?[] Rows)[] sheets)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Entry(zip, "[Content_Types].xml",
            """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">""" +
            """<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>""" +
            """<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>""" +
            """<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>""" +
            string.Concat(sheets.Select((_, i) => $"""<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""")) +
            "</Types>");
        Entry(zip, "_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""" +
            """<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Entry(zip, "xl/workbook.xml",
            """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>""" +
            string.Concat(sheets.Select((s, i) => $"""<sheet name="{SecurityElement.Escape(s.Name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>""")) +
            "</sheets></workbook>");
        Entry(zip, "xl/_rels/workbook.xml.rels",
            """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""" +
            string.Concat(sheets.Select((_, i) => $"""<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>""")) +
            $"""<Relationship Id="rId{sheets.Length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""");
        // Style 1 is the built-in short date format (14), as Excel gives a typed-in date.
        Entry(zip, "xl/styles.xml",
            """<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""" +
            """<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>""" +
            """<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>""");
        for (var i = 0; i < sheets.Length; i++) Entry(zip, $"xl/worksheets/sheet{i + 1}.xml", Sheet(sheets[i].Rows));
        return path;
    }

    private static string Sheet(object?[]?[] rows)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r] is not { } cells) continue;
            xml.Append($"""<row r="{r + 1}">""");
            for (var c = 0; c < cells.Length; c++)
            {
                var at = $"{(char)('A' + c)}{r + 1}";
                xml.Append(cells[c] switch
                {
                    null => "",
                    string s => $"""<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{SecurityElement.Escape(s)}</t></is></c>""",
                    ExcelError e => $"""<c r="{at}" t="e"><v>{SecurityElement.Escape(e.Code)}</v></c>""",
                    ExcelDate d => $"""<c r="{at}" s="1"><v>{d.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture)}</v></c>""",
                    IFormattable n => $"""<c r="{at}"><v>{n.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}</v></c>""",
                    var other => throw new ArgumentException($"no cell type for {other.GetType()}"),
                });
            }
            xml.Append("</row>");
        }
        return xml.Append("</sheetData></worksheet>").ToString();
    }

    private static void Entry(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
