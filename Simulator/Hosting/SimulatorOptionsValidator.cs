using Microsoft.Extensions.Options;

namespace MesOrleans.Simulator;

/// <summary>Refuses simulator settings that could not work, naming the setting.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (!BrokerEndpoint.TryParse(options.Broker, out _))
        {
            failures.Add($"{SimulatorOptions.SectionName}:Broker '{options.Broker}' must be host:port, e.g. 127.0.0.1:1883.");
        }

        if (!SimulationSettings.IsValidTopicPrefix(options.TopicPrefix))
        {
            failures.Add($"{SimulatorOptions.SectionName}:TopicPrefix '{options.TopicPrefix}' must be one or more topic levels without '+', '#' or empty levels.");
        }

        if (!double.IsFinite(options.Speed) || options.Speed <= 0 || options.Speed > SimulationRunner.MaxSpeed)
        {
            failures.Add($"{SimulatorOptions.SectionName}:Speed {options.Speed} must be above 0 and at most {SimulationRunner.MaxSpeed}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
