using System.Diagnostics;
using MesOrleans.Testing;

namespace MesOrleans.Cluster.Tests;

/// <summary>The test fixture's PostgreSQL: never as root, and nothing left behind.</summary>
public sealed class PostgresServerTests
{
    [SkippableFact]
    public async Task The_server_runs_as_a_user_other_than_root_and_is_gone_with_its_folder_after_dispose()
    {
        RequiredComponent.SkipOrFailIfMissing(PostgresServer.Missing);
        var server = await PostgresServer.StartAsync();
        string folder;
        int pid;
        try
        {
            pid = server.ProcessId;
            var dataDirectory = Assert.Single(await SchemaTests.QueryAsync(server.ConnectionString("postgres"), "SHOW data_directory"));
            folder = Path.GetDirectoryName(dataDirectory)!;
            var uid = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
            Assert.NotEqual("0", uid);
            Assert.True(Directory.Exists(folder));
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(IsRunning(pid), $"process {pid} still runs");
        Assert.False(Directory.Exists(folder));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
