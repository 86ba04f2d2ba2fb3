using JasperFx.CodeGeneration;
using Wolverine;

namespace CasePathway.Host.Web;

/// <summary>
/// Wolverine's code generation. The handler code of every HTTP endpoint is generated ahead of time by
/// <c>casepathway codegen write</c> into <see cref="Folder"/> and compiled into this assembly, so the app
/// loads it (<see cref="TypeLoadMode.Static"/>) instead of compiling it with Roslyn at start-up, which
/// would cost seconds and ship a compiler. A missing type stops the app at start-up; a test compares the
/// committed code with what <c>codegen write</c> would write now.
/// </summary>
public static class GeneratedCode
{
    /// <summary>Where <c>codegen write</c> writes: <c>CASEPATHWAY_GENERATED_CODE</c>, else this project's <c>Internal/Generated</c>.</summary>
    public const string FolderVariable = "CASEPATHWAY_GENERATED_CODE";

    public static void Configure(WolverineOptions options)
    {
        options.ApplicationAssembly = typeof(GeneratedCode).Assembly;
        options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
        // only read by codegen write; the program may run from anywhere, so the source folder is looked for
        options.CodeGeneration.GeneratedCodeOutputPath = Folder();
    }

    public static string Folder() =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
            ? Path.GetFullPath(folder)
            : Path.Combine(ProjectFolder() ?? Directory.GetCurrentDirectory(), "Internal", "Generated");

    /// <summary>src/CasePathway.Host in the source tree above the working directory or the program, if any.</summary>
    private static string? ProjectFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "src", "CasePathway.Host");
                if (File.Exists(Path.Combine(candidate, "CasePathway.Host.csproj"))) return candidate;
            }
        return null;
    }
}
