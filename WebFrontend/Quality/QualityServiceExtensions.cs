namespace MesOrleans.WebFrontend.Quality;

public static class QualityServiceExtensions
{
    /// <summary>Quality for the API and the quality page.</summary>
    public static IServiceCollection AddQuality(this IServiceCollection services)
    {
        services.AddSingleton<QualityDesk>();
        services.AddScoped<QualityStation>();
        return services;
    }
}
