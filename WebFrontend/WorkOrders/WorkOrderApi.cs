using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WorkOrders;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.WorkOrders;

/// <summary>Work orders through their life: planned → released → running → completed.</summary>
public static class WorkOrderApi
{
    public static RouteGroupBuilder MapWorkOrderApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/work-orders").WithTags("Work orders");

        api.MapPost("", async Task<Results<Created<WorkOrderView>, ForbidHttpResult>> (CreateWorkOrderRequest body, IGrainFactory grains, HttpContext http, IAuthorizationService authorization) =>
        {
            // The order's site is in its body: planning there is checked here, the route has no site.
            if (EquipmentPath.TryParse(body.LineId, out var line)
                && !(await authorization.AuthorizeAsync(http.User, new SiteResource(line.Site), MesPolicies.Plan)).Succeeded)
            {
                return TypedResults.Forbid();
            }

            if (!EquipmentPath.IsValidSegment(body.OrderNumber))
            {
                throw MesCommandException.Invalid("The order number is not valid.",
                    [new("$.orderNumber", "An order number uses letters, digits, '-' and '_' (at most 64).")]);
            }

            var order = await Order(grains, body.OrderNumber).CreateAsync(new WorkOrderSpec(body.Product, body.TargetQuantity, body.LineId));
            return TypedResults.Created($"/api/work-orders/{order.OrderNumber}", order);
        }).RequireAuthorization(MesPolicies.Plan);

        api.MapGet("/{orderNumber}", async Task<Ok<WorkOrderView>> (string orderNumber, IGrainFactory grains) =>
            TypedResults.Ok(await Order(grains, orderNumber).GetAsync()))
            .RequireAuthorization(MesPolicies.View);

        api.MapPost("/{orderNumber}/release", async Task<Ok<WorkOrderView>> (string orderNumber, IGrainFactory grains) =>
            TypedResults.Ok(await Order(grains, orderNumber).ReleaseAsync()))
            .RequireAuthorization(MesPolicies.Plan);

        api.MapPost("/{orderNumber}/start", async Task<Ok<WorkOrderView>> (string orderNumber, IGrainFactory grains) =>
            TypedResults.Ok(await Order(grains, orderNumber).StartAsync()))
            .RequireAuthorization(MesPolicies.Plan);

        api.MapPost("/{orderNumber}/production", async Task<Ok<WorkOrderView>> (string orderNumber, ProductionRequest body, IGrainFactory grains) =>
            TypedResults.Ok(await Order(grains, orderNumber).RecordProductionAsync(body.Good, body.Scrap)))
            .RequireAuthorization(MesPolicies.Plan);

        api.MapPost("/{orderNumber}/complete", async Task<Ok<WorkOrderView>> (string orderNumber, IGrainFactory grains) =>
            TypedResults.Ok(await Order(grains, orderNumber).CompleteAsync()))
            .RequireAuthorization(MesPolicies.Plan);

        return api;
    }

    private static IWorkOrderGrain Order(IGrainFactory grains, string orderNumber) => grains.GetGrain<IWorkOrderGrain>(orderNumber);
}

public sealed record CreateWorkOrderRequest(
    [property: MaxLength(TextLimits.Code)] string OrderNumber,
    [property: MaxLength(TextLimits.Name)] string Product,
    long TargetQuantity,
    [property: MaxLength(TextLimits.Name)] string LineId);

public sealed record ProductionRequest(long Good, long Scrap);
