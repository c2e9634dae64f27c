using MesOrleans.Errors;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MesOrleans.WebFrontend.Api;

/// <summary>
/// Turns refused commands into problem details: 400 invalid (with every problem by path), 404 unknown, 409 wrong
/// state, 503 not recorded now; and malformed request bodies into 400 instead of 500, naming the field when the
/// JSON reader knows it.
/// </summary>
internal sealed class MesExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var details = exception switch
        {
            MesCommandException { Problems.Count: > 0 } mes => new ValidationProblemDetails(
                mes.Problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = mes.Message,
            },
            MesCommandException mes => new ProblemDetails
            {
                Status = mes.Kind switch
                {
                    MesErrorKind.NotFound => StatusCodes.Status404NotFound,
                    MesErrorKind.Conflict => StatusCodes.Status409Conflict,
                    MesErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
                    _ => StatusCodes.Status400BadRequest,
                },
                Title = mes.Kind switch
                {
                    MesErrorKind.NotFound => "Not found.",
                    MesErrorKind.Conflict => "The request conflicts with the current state.",
                    MesErrorKind.Unavailable => "Nothing was recorded; try again.",
                    _ => "The request is not valid.",
                },
                Detail = mes.Message,
            },
            BadHttpRequestException { InnerException: JsonException { Path: { } path } json } => new ValidationProblemDetails(
                new Dictionary<string, string[]> { [path] = [FieldMessage(json)] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = $"The value at {path} could not be read.",
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = bad.InnerException?.Message ?? bad.Message,
            },
            _ => null,
        };

        if (details is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = details,
            Exception = exception,
        });
    }

    // The reader's own messages name .NET types and byte positions; the field's path is already the key.
    private static string FieldMessage(JsonException json) =>
        json.Message.Contains(" Path: ", StringComparison.Ordinal)
            ? "has a value of the wrong kind (enums by name, numbers as numbers, times with an offset)."
            : json.Message;
}
