using CasePathway.Testing;
using NodaTime;

namespace CasePathway.Import.Tests;

internal static class Samples
{
    // Copies of the public samples, kept in the repository so that its tests stand alone (SampleData/README.md).
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "CasePathway.Import.Tests", "SampleData");

    public static string AnnexA(string file) => Path.Combine(Folder, "annex-a", file);

    public static string Cin(string file) => Path.Combine(Folder, "cin-census", file);

    public static IEnumerable<string> AnnexAFiles => Directory.GetFiles(Path.Combine(Folder, "annex-a"), "*.xlsx").Order();

    public static IEnumerable<string> CinFiles => Directory.GetFiles(Path.Combine(Folder, "cin-census"), "*.xml").Order();

    /// <summary>A fixed "today" so that no test depends on when it runs.</summary>
    public static readonly LocalDate Today = new(2025, 1, 31);
}

/// <summary>A temporary folder of files written by a test, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cp-import-" + Guid.NewGuid().ToString("N")[..12]);

    public TempFolder() => Directory.CreateDirectory(Path);

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
