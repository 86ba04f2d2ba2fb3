using System.Diagnostics;
using CasePathway.Host.Web;
using CasePathway.Testing;

namespace CasePathway.Host.Tests.CodeGeneration;

/// <summary>
/// The app loads Wolverine's handler code from what is committed under src/CasePathway.Host/Internal/Generated
/// (TypeLoadMode.Static). A missing type stops it at start-up, but stale code that still compiles — a renamed
/// query parameter, a header read differently — would run quietly; this compares the committed files with what
/// <c>codegen write</c> writes from the current endpoints.
/// </summary>
public sealed class GeneratedCodeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string Committed = Path.Combine(RepositoryPaths.Root, "src", "CasePathway.Host", "Internal", "Generated");

    [Fact]
    public async Task The_committed_generated_code_is_what_codegen_write_writes_now()
    {
        var fresh = Directory.CreateTempSubdirectory("casepathway-codegen-").FullName;
        try
        {
            var (exit, output) = await RunProgramAsync(fresh, "codegen", "write");
            exit.ShouldBe(0, output);

            var expected = Files(fresh);
            expected.Keys.ShouldContain(Path.Combine("WolverineHandlers", "POST_api_events.cs"), output);
            var committed = Files(Committed);
            var stale = expected.Keys.Union(committed.Keys)
                .Where(f => !expected.TryGetValue(f, out var e) || !committed.TryGetValue(f, out var c) || e != c)
                .Order().ToList();
            stale.ShouldBeEmpty("out of date under src/CasePathway.Host/Internal/Generated: run `ops/casepathway codegen write` and commit the result");
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    /// <summary>Relative path → content, line endings aside (a checkout may convert them).</summary>
    private static Dictionary<string, string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    private async Task<(int Exit, string Output)> RunProgramAsync(string generatedCodeFolder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CasePathway.Host.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CASEPATHWAY_DB"] = database.ConnectionString;
        start.Environment[GeneratedCode.FolderVariable] = generatedCodeFolder;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout + await stderr);
    }
}
