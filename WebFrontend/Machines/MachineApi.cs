using MesOrleans.Errors;
using MesOrleans.Machines;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Machines;

/// <summary>A machine's live view, the operator's commands and after-the-fact corrections.</summary>
public static class MachineApi
{
    /// <summary>The most events one request lists.</summary>
    public const int MaxEvents = 500;

    public static RouteGroupBuilder MapMachineApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites/{site}/lines/{line}/machines/{machine}").WithTags("Machines");

        api.MapGet("", async Task<Ok<MachineStatusResponse>> ([AsParameters] MachineRef m) =>
            TypedResults.Ok(MachineStatusResponse.From(await m.Grain.GetStatusAsync())))
            .RequireAuthorization(MesPolicies.View);

        api.MapGet("/events", async Task<Ok<IReadOnlyList<MachineEvent>>> ([AsParameters] MachineRef m, int? count) =>
            TypedResults.Ok(await m.Grain.GetRecentEventsAsync(count is null or (> 0 and <= MaxEvents)
                ? count ?? 20
                : throw MesCommandException.Invalid("Too many or too few events.", [new("count", $"must be between 1 and {MaxEvents}.")]))))
            .RequireAuthorization(MesPolicies.View);

        api.MapPost("/state", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, ReportStateRequest body) =>
            TypedResults.Ok(await m.Grain.ReportStateAsync(new ReportState(body.State, body.ReasonCode, body.At, EventSource.Operator, body.Actor, body.Note))))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPost("/downtime", async Task<Ok<OpenStop>> ([AsParameters] MachineRef m, StartDowntimeRequest body) =>
            TypedResults.Ok(await m.Grain.StartDowntimeAsync(new StartDowntime(body.ReasonCode, body.Note, body.Operator, body.At))))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPatch("/downtime", async Task<Ok<OpenStop>> ([AsParameters] MachineRef m, RecodeDowntimeRequest body) =>
            TypedResults.Ok(await m.Grain.RecodeOpenStopAsync(body.ReasonCode, body.Operator)))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPost("/downtime/end", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, EndDowntimeRequest? body) =>
            TypedResults.Ok(await m.Grain.EndDowntimeAsync(body?.Operator, body?.At)))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPost("/scrap", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, ScrapRequest body) =>
            TypedResults.Ok(await m.Grain.RecordScrapAsync(new RecordScrap(body.Quantity, body.ReasonCode, body.Operator, body.At))))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPost("/scrap/reasons", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, ScrapReasonRequest body) =>
            TypedResults.Ok(await m.Grain.AssignScrapReasonAsync(new AssignScrapReason(body.Quantity, body.ReasonCode, body.Operator))))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPost("/counts", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, GoodCountRequest body) =>
            TypedResults.Ok(await m.Grain.RecordGoodCountAsync(new RecordGoodCount(body.Good, body.Operator, body.At, body.OverrideReason))))
            .RequireAuthorization(MesPolicies.Operate);

        api.MapPost("/stops/{stopId:guid}/recode", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, Guid stopId, RecodeStopRequest body) =>
            TypedResults.Ok(await m.Grain.RecodeStopAsync(stopId, body.ReasonCode, new Correction(body.By, body.Why))))
            .RequireAuthorization(MesPolicies.Correct);

        api.MapPost("/stops/{stopId:guid}/split", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, Guid stopId, SplitStopRequest body) =>
            TypedResults.Ok(await m.Grain.SplitStopAsync(stopId, body.At, body.ReasonCode, new Correction(body.By, body.Why))))
            .RequireAuthorization(MesPolicies.Correct);

        api.MapPost("/entries/{entryId:guid}/void", async Task<Ok<MachineEvent>> ([AsParameters] MachineRef m, Guid entryId, VoidEntryRequest body) =>
            TypedResults.Ok(await m.Grain.VoidEntryAsync(entryId, new Correction(body.By, body.Why))))
            .RequireAuthorization(MesPolicies.Correct);

        return api;
    }

    /// <summary>The machine a request is about, from its route.</summary>
    private readonly record struct MachineRef(string Site, string Line, string Machine, IGrainFactory Grains)
    {
        public IMachineGrain Grain => Grains.GetGrain<IMachineGrain>(EquipmentRoute.Machine(Site, Line, Machine).ToString());
    }
}
