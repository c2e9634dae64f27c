namespace MesOrleans.Testing;

/// <summary>The repository the tests run from, for the files they check or use (deploy/, plant models).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MesOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("MesOrleans.sln not found above " + AppContext.BaseDirectory);
    }
}
