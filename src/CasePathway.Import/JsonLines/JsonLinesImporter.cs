using CasePathway.Domain.Events;

namespace CasePathway.Import.JsonLines;

/// <summary>
/// A JSON Lines file of contract envelopes, one per line. All or nothing, as the contract asks of a batch:
/// every bad line is reported by its number and, if there is any, no event of the file is returned.
/// </summary>
public static class JsonLinesImporter
{
    public static ImportBatch Read(string path)
    {
        if (Directory.Exists(path)) throw new ImportFileException($"{path} is a folder, not a JSON Lines file.");
        if (!File.Exists(path)) throw new ImportFileException($"{path} does not exist.");
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader);
    }

    public static ImportBatch Read(TextReader reader)
    {
        var events = new List<PathwayEvent>();
        var rejections = new List<Rejection>();
        var seen = new Dictionary<Guid, (int Line, string Content)>();
        var rows = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            rows++;
            var parsed = EventJson.Parse(line);
            if (!parsed.IsValid)
            {
                // Line and position inside a one-line document: the position is what helps.
                rejections.AddRange(parsed.Errors.Select(e => new Rejection(null, null, lineNumber, e.Field, e.Message)));
                continue;
            }
            var e = parsed.Value!;
            var content = EventJson.Serialize(e);
            if (seen.TryGetValue(e.Id, out var first))
            {
                if (first.Content != content)
                    rejections.Add(new Rejection(null, e.Child, lineNumber, "id", $"the same id as line {first.Line} with different content"));
                continue;
            }
            seen[e.Id] = (lineNumber, content);
            events.Add(e);
        }
        return new ImportBatch(rejections.Count == 0 ? events : [], rows, rejections, []);
    }
}
