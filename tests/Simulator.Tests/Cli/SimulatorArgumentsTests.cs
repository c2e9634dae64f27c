namespace MesOrleans.Simulator.Tests.Cli;

public sealed class SimulatorArgumentsTests
{
    [Fact]
    public void No_arguments_simulate_the_demo_plant_on_the_local_broker_in_real_time()
    {
        var (arguments, error) = SimulatorArguments.Parse([]);

        Assert.Null(error);
        Assert.Equal(new SimulatorArguments(), arguments);
        Assert.Equal(new BrokerEndpoint("127.0.0.1", 1883), arguments!.Broker);
        Assert.Equal((1.0, "mes", (TimeSpan?)null), (arguments.Speed, arguments.TopicPrefix, arguments.Duration));
    }

    [Fact]
    public void Every_option_is_read()
    {
        var (arguments, error) = SimulatorArguments.Parse(
            ["--broker", "10.0.0.5:1884", "--plant", "plant.json", "--prefix", "plant/mes", "--seed", "-7", "--speed", "60.5", "--start", "2026-03-02T05:00:00Z", "--duration", "08:00:00", "--truth"]);

        Assert.Null(error);
        Assert.Equal(
            new SimulatorArguments
            {
                Broker = new BrokerEndpoint("10.0.0.5", 1884),
                PlantPath = "plant.json",
                TopicPrefix = "plant/mes",
                Seed = -7,
                Speed = 60.5,
                Start = new DateTimeOffset(2026, 3, 2, 5, 0, 0, TimeSpan.Zero),
                Duration = TimeSpan.FromHours(8),
                Truth = true,
            },
            arguments);
    }

    [Fact]
    public void The_start_may_be_a_span_back_from_now()
    {
        var (arguments, _) = SimulatorArguments.Parse(["--start", "-1.00:00:00"]);

        Assert.Equal(((DateTimeOffset?)null, (TimeSpan?)TimeSpan.FromDays(-1)), (arguments!.Start, arguments.StartBeforeNow));
    }

    [Fact]
    public void Load_mode_reads_machines_rate_and_where_to_write_the_plant()
    {
        var (arguments, _) = SimulatorArguments.Parse(["--machines", "500", "--rate", "5000", "--write-plant", "load.json"]);

        Assert.Equal((500, 5000.0, "load.json"), (arguments!.Machines, arguments.Rate, arguments.WritePlantPath));
    }

    [Theory]
    [InlineData("Unknown option '--colour'.", "--colour", "red")]
    [InlineData("--speed needs a value.", "--speed")]
    [InlineData("--seed needs a value.", "--seed", "--truth")]
    [InlineData("--broker 'nowhere:' is not host:port, e.g. 127.0.0.1:1883.", "--broker", "nowhere:")]
    [InlineData("--speed '0' must be a number above 0 and at most 1000000.", "--speed", "0")]
    [InlineData("--speed 'fast' must be a number above 0 and at most 1000000.", "--speed", "fast")]
    [InlineData("--duration '-00:10:00' must be a positive time span like 00:10:00 or 1.00:00:00.", "--duration", "-00:10:00")]
    [InlineData("--start 'yesterday' must be an ISO 8601 instant like 2026-03-02T05:00:00Z or a span back from now like -08:00:00.", "--start", "yesterday")]
    [InlineData("--machines '0' must be a whole number of at least 1.", "--machines", "0")]
    [InlineData("--prefix 'mes/#' must be one or more topic levels without '+', '#' or empty levels.", "--prefix", "mes/#")]
    [InlineData("--machines makes its own plant: leave out --plant.", "--machines", "5", "--plant", "plant.json")]
    [InlineData("--rate needs --machines.", "--rate", "100")]
    [InlineData("--rate may be at most 1000 messages per second per machine.", "--machines", "2", "--rate", "2001")]
    public void Wrong_arguments_say_what_is_wrong(string message, params string[] args)
    {
        var (arguments, error) = SimulatorArguments.Parse(args);

        Assert.Null(arguments);
        Assert.Equal(message, error);
    }
}
