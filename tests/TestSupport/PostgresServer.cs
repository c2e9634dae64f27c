using System.Diagnostics;
using System.Globalization;
using MesOrleans.Cluster;
using Npgsql;

namespace MesOrleans.Testing;

/// <summary>
/// A real PostgreSQL 15 server of its own, from the Debian binaries, in a temporary folder on a free loopback port.
/// PostgreSQL refuses to run as root, so under root (CI) it runs as the <c>postgres</c> system user, which owns the
/// folder. Tests create a database each (<see cref="CreateMesDatabaseAsync"/>); disposing stops exactly the server
/// this instance started and removes its folder (unless it was given one to keep).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";
    private const string RunUser = "/usr/sbin/runuser";

    private readonly string _directory;
    private readonly bool _keep;
    private Process _postmaster;
    private int _stopped;

    private PostgresServer(string directory, bool keep, int port, Process postmaster)
    {
        _directory = directory;
        _keep = keep;
        Port = port;
        _postmaster = postmaster;
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
    }

    public int Port { get; }

    /// <summary>The server process's id (the postmaster), to prove it is gone after dispose.</summary>
    public int ProcessId => _postmaster.Id;

    /// <summary>Why PostgreSQL cannot run here, or null when it can.</summary>
    public static string? Missing =>
        !File.Exists(Path.Combine(BinDirectory, "initdb")) || !File.Exists(Path.Combine(BinDirectory, "pg_ctl"))
            ? $"PostgreSQL 15 is not installed ({BinDirectory}; Debian package 'postgresql-15')"
            : IsRoot && !File.Exists(RunUser)
                ? $"{RunUser} is missing: as root, PostgreSQL must be started as the '{ServiceUser}' user (Debian package 'util-linux')"
                : null;

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// Initializes and starts a server. <paramref name="durable"/> false turns off fsync and friends, which tests do not
    /// need; benchmarks pass true to measure what a real installation sees. With <paramref name="keepIn"/> the server
    /// lives in that folder and stays there: a later start with the same folder finds its databases again.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool durable = false, string? keepIn = null)
    {
        if (Missing is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        var directory = keepIn is null ? Directory.CreateTempSubdirectory("mes-postgres-").FullName : Directory.CreateDirectory(keepIn).FullName;
        try
        {
            if (IsRoot)
            {
                await RunAsync("/bin/chown", [$"{ServiceUser}:{ServiceUser}", directory], asServiceUser: false);
            }

            var data = Path.Combine(directory, "data");
            if (!File.Exists(Path.Combine(data, "PG_VERSION")))
            {
                await RunAsync(Path.Combine(BinDirectory, "initdb"),
                    ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            }

            // The last setting of a name wins: a kept server takes this start's port and durability.
            var port = FreePort.Next();
            var sync = durable ? "on" : "off";
            string[] settings =
            [
                "listen_addresses = '127.0.0.1'",
                $"port = {port}",
                $"unix_socket_directories = '{directory}'",
                "max_connections = 300",
                $"fsync = {sync}",
                $"synchronous_commit = {sync}",
                $"full_page_writes = {sync}",
            ];
            await File.AppendAllLinesAsync(Path.Combine(data, "postgresql.conf"), settings);
            return new PostgresServer(directory, keepIn is not null, port, await StartPostmasterAsync(directory));
        }
        catch
        {
            if (keepIn is null)
            {
                TryDelete(directory);
            }

            throw;
        }
    }

    /// <summary>A connection string to <paramref name="database"/> on this server, as the superuser.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Creates an empty database with a unique name starting with <paramref name="prefix"/>; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var readable = new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray());
        var name = $"{readable}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Creates a database with the MES schema applied, as <c>Silo db init</c> does; returns its connection string.</summary>
    public async Task<string> CreateMesDatabaseAsync(string prefix)
    {
        var connectionString = await CreateDatabaseAsync(prefix);
        await MesSchema.ApplyAsync(connectionString);
        return connectionString;
    }

    /// <summary>
    /// Stops the server as an admin or a failing host does (fast shutdown: sessions are cut, nothing committed is lost),
    /// keeping its data for <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "-t", "30"]);
        await _postmaster.WaitForExitAsync();
    }

    /// <summary>Starts the stopped server again on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        if (!_postmaster.HasExited)
        {
            throw new InvalidOperationException("PostgreSQL is still running.");
        }

        _postmaster.Dispose();
        _postmaster = await StartPostmasterAsync(_directory);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            NpgsqlConnection.ClearAllPools();
            if (!_postmaster.HasExited)
            {
                await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "-t", "30"]);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _postmaster.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _postmaster.Kill();
            }

            _postmaster.Dispose();
            if (!_keep)
            {
                TryDelete(_directory);
            }
        }
    }

    // A test run that ends without disposing (a crash, a cancelled run) must not leave the server behind.
    private void StopOnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0 && !_postmaster.HasExited)
        {
            _postmaster.Kill();
            if (!_keep)
            {
                TryDelete(_directory);
            }
        }
    }

    private static async Task<Process> StartPostmasterAsync(string directory)
    {
        var data = Path.Combine(directory, "data");
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["start", "-D", data, "-w", "-t", "60", "-l", Path.Combine(directory, "postgres.log")]);

        // pg_ctl detaches the server; postmaster.pid names the process it started, the one to stop later.
        var pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
        return Process.GetProcessById(pid);
    }

    private static async Task RunAsync(string program, string[] arguments, bool asServiceUser = true)
    {
        var start = asServiceUser && IsRoot
            ? new ProcessStartInfo(RunUser, ["-u", ServiceUser, "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Only a temporary folder is left behind.
        }
    }
}
