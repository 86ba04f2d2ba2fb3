using Spectre.Console;

namespace CasePathway.Host.Features.Import;

/// <summary>
/// The import's stages (read the file, store its events, bring the clocks up to date) shown as progress
/// bars on stderr — only for a large file, only when stderr is the terminal, and never when a JSON summary
/// is piped on. stdout carries the summary alone, whatever happens here.
/// </summary>
public sealed class ImportProgress
{
    /// <summary>Smaller files import in a moment; a progress display would only flicker.</summary>
    public const long LargeFileBytes = 100 * 1024;

    private readonly ProgressContext? _context;

    private ImportProgress(ProgressContext? context) => _context = context;

    /// <summary>Whether to show progress: stderr a terminal, a large file, and not JSON going to a pipe or file.</summary>
    public static bool Wanted(bool stderrIsTerminal, bool stdoutRedirected, string format, long fileBytes) =>
        stderrIsTerminal && fileBytes >= LargeFileBytes && !(format == "json" && stdoutRedirected);

    /// <summary>The display for progress on stderr (not on stdout, which carries the summary alone).</summary>
    public static IAnsiConsole On(TextWriter stderr) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });

    /// <summary>Runs <paramref name="work"/>, showing its stages on <paramref name="display"/>, or nowhere when it is null.</summary>
    public static async Task<T> RunAsync<T>(IAnsiConsole? display, Func<ImportProgress, Task<T>> work)
    {
        if (display is null) return await work(new ImportProgress(null));
        return await display.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(ctx => work(new ImportProgress(ctx)));
    }

    /// <summary>One stage: indeterminate while it runs, full when it ends.</summary>
    public async Task<T> StageAsync<T>(string description, Func<Task<T>> stage)
    {
        var task = _context?.AddTask(Markup.Escape(description), maxValue: 1).IsIndeterminate();
        var result = await stage();
        if (task is not null)
        {
            task.IsIndeterminate(false);
            task.Value = 1;
            task.StopTask();
        }
        return result;
    }

    /// <summary>The size of the file or folder being imported (0 when it cannot be read; the import reports that).</summary>
    public static long SizeOf(string path)
    {
        try
        {
            if (Directory.Exists(path)) return Directory.EnumerateFiles(path).Sum(f => new FileInfo(f).Length);
            return File.Exists(path) ? new FileInfo(path).Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
