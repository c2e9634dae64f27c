using MesOrleans.Cluster;
using Npgsql;

namespace MesOrleans.Silo.Database;

/// <summary>
/// The <c>db</c> verbs of the silo. <c>db init</c> applies the cluster's PostgreSQL schema (the scripts of
/// <c>deploy/postgres</c>) to the database of <c>ConnectionStrings:Mes</c>, read like the silo's own settings
/// (appsettings, environment, <c>--ConnectionStrings:Mes=...</c>). It applies only what is missing, so it is safe to
/// run on every deployment.
/// </summary>
internal static class DatabaseCommand
{
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage: Silo db init [--ConnectionStrings:Mes=<connection string>]
          db init   apply the cluster's PostgreSQL schema (what is missing) to ConnectionStrings:Mes
        """;

    public static bool Matches(string[] args) => args is ["db", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["db", "init", .. var settings])
        {
            await error.WriteLineAsync(UsageText);
            return Usage;
        }

        if (await ClusterDatabaseSetting.ReadAsync(settings, error) is not { } database)
        {
            return Usage;
        }

        var (_, connectionString, where) = database;
        try
        {
            var change = await MesSchema.ApplyAsync(connectionString);
            foreach (var script in change.Applied)
            {
                await output.WriteLineAsync($"applied {script.Name} (version {script.Version})");
            }

            await output.WriteLineAsync(change.Applied.Count == 0
                ? $"{where}: schema at version {change.Version}, up to date; nothing applied."
                : $"{where}: schema at version {change.Version}.");
            return 0;
        }
        catch (PostgresException ex)
        {
            await error.WriteLineAsync($"{where} refused: {ex.MessageText} (SQLSTATE {ex.SqlState}).{Hint(ex.SqlState)}");
            return Failed;
        }
        catch (NpgsqlException ex)
        {
            await error.WriteLineAsync($"Cannot reach {where}: {ex.InnerException?.Message ?? ex.Message}");
            return Failed;
        }
        catch (SchemaMismatchException ex)
        {
            await error.WriteLineAsync($"{where}: {ex.Message}");
            return Failed;
        }
    }

    private static string Hint(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.InvalidCatalogName => " Create the database first (createdb), owned by the user the silos connect as.",
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => " Check the user name and password.",
        PostgresErrorCodes.InsufficientPrivilege => " The user needs the right to create tables in the database's schema.",
        _ => "",
    };
}
