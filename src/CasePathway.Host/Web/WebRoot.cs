namespace CasePathway.Host.Web;

/// <summary>
/// Where the static files are. A published app has wwwroot beside the program; a build run from the
/// source tree (ops/casepathway, the tests) reads src/CasePathway.Host/wwwroot, which ops/assets fills.
/// </summary>
public static class WebRoot
{
    public static string Locate(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(Path.Combine(beside, "lib"))) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var source = Path.Combine(dir.FullName, "src", "CasePathway.Host", "wwwroot");
            if (Directory.Exists(source)) return source;
        }
        return beside;
    }
}
