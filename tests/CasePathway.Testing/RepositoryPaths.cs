namespace CasePathway.Testing;

/// <summary>Where the repository is, found from the test assembly's folder (the repository stands alone: its sample data is inside it).</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "CasePathway.sln";

    /// <summary>The folder holding CasePathway.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        throw new DirectoryNotFoundException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
    }
}
