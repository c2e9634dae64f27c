namespace MesOrleans.Simulator;

// A named entry point rather than top-level statements: hosts reference this project, and ASP.NET Core would make a
// top-level Program public, where it clashes with the host's own Program.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
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
    }
}
