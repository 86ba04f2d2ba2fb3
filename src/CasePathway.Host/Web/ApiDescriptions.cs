using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace CasePathway.Host.Web;

/// <summary>
/// Makes Wolverine's endpoints describe themselves in the OpenAPI document as the minimal APIs did: each
/// endpoint returns an <see cref="IResult"/> and declares every answer it gives, so nothing is guessed.
/// </summary>
public static class ApiDescriptions
{
    /// <summary>
    /// Wolverine assumes a 200 of the return type and a bare 404 for a missing body; an <see cref="IResult"/>
    /// says its own status, so those guesses would advertise answers the endpoint never gives.
    /// </summary>
    public static void DropGuessedResponses(HttpChain chain)
    {
        if (!typeof(IResult).IsAssignableFrom(chain.ResourceType)) return;
        chain.Metadata.Finally(endpoint =>
        {
            foreach (var guess in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>()
                         .Where(m => m.Type is { } t && typeof(IResult).IsAssignableFrom(t)
                                     || m.StatusCode == StatusCodes.Status404NotFound && (m.Type is null || m.Type == typeof(void)))
                         .Cast<object>().ToList())
                endpoint.Metadata.Remove(guess);
        });
    }

    /// <summary>
    /// Wolverine describes route parameters without their <see cref="DescriptionAttribute"/> and a body it does
    /// not bind itself (the events endpoint reads its own) not at all; both are taken from the method here.
    /// </summary>
    public static async Task DescribeFromMethod(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor is not WolverineActionDescriptor { Chain: var chain }) return;
        var descriptions = chain.Method.Method.GetParameters()
            .Where(p => p.GetCustomAttribute<DescriptionAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<FromHeaderAttribute>()?.Name ?? p.Name!, p => p.GetCustomAttribute<DescriptionAttribute>()!.Description);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (string.IsNullOrEmpty(parameter.Description) && parameter.Name is { } name && descriptions.TryGetValue(name, out var text))
                parameter.Description = text;

        if (operation.RequestBody is null && context.Description.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>().LastOrDefault() is { RequestType: { } type } accepts)
        {
            var schema = await SchemaOf(type, context, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !accepts.IsOptional,
                Content = accepts.ContentTypes.ToDictionary(c => c, _ => new OpenApiMediaType { Schema = schema }),
            };
        }
    }

    /// <summary>The body's type as a named component (an array of one), as minimal APIs described it, so a client generates one type.</summary>
    private static async Task<IOpenApiSchema> SchemaOf(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        IOpenApiSchema schema = await context.GetOrCreateSchemaAsync(element, null, ct);
        if (context.Document is { } document)
        {
            document.AddComponent(element.Name, (OpenApiSchema)schema);
            schema = new OpenApiSchemaReference(element.Name, document);
        }
        return type.IsArray ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema } : schema;
    }
}
