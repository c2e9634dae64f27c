using MesOrleans.Simulator;

var (arguments, error) = SimulatorArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine();
    Console.Error.WriteLine(SimulatorArguments.Usage);
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(SimulatorArguments.Usage);
    return 0;
}

return await SimulatorCli.RunAsync(arguments);
