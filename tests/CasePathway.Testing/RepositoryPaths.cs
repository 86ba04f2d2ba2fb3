namespace CasePathway.Testing;

/// <summary>Where the repository and the shared sample data are, found from the test assembly's folder.</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "CasePathway.sln";
    private const string FallbackShared = "/work/shared";

    /// <summary>The folder holding CasePathway.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The sample data folder: <c>shared/data</c> beside the repository root (a worktree's ../shared, or
    /// the CI clone's sibling), else inside it, else /work/shared/data.
    /// </summary>
    public static string SharedData { get; } = FindSharedData();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        throw new DirectoryNotFoundException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
    }

    private static string FindSharedData()
    {
        string[] candidates =
        [
            Path.Combine(Root, "..", "shared", "data"),
            Path.Combine(Root, "shared", "data"),
            Path.Combine(FallbackShared, "data"),
        ];
        foreach (var candidate in candidates)
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        throw new DirectoryNotFoundException($"No shared/data folder: looked in {string.Join(", ", candidates)}.");
    }
}
