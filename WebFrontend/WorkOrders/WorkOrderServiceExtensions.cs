namespace MesOrleans.WebFrontend.WorkOrders;

public static class WorkOrderServiceExtensions
{
    /// <summary>Work orders for the API and the schedule page.</summary>
    public static IServiceCollection AddWorkOrders(this IServiceCollection services)
    {
        services.AddSingleton<WorkOrderDesk>();
        services.AddScoped<ScheduleBoard>();
        return services;
    }
}
