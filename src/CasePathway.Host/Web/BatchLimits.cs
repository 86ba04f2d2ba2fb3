using Microsoft.AspNetCore.Mvc;

namespace CasePathway.Host.Web;

/// <summary>
/// How much one request may carry. A batch larger than this is refused whole (413 or 400, problem+json)
/// before anything is stored. Configured under <c>CasePathway:Batch</c>.
/// </summary>
public sealed class BatchLimits
{
    public const string Section = "CasePathway:Batch";

    /// <summary>Largest request body, in bytes, for endpoints marked with <see cref="AcceptsBatchAttribute"/> or <see cref="BatchLimitEndpoints.WithBatchLimits"/>.</summary>
    public long MaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most events in one batch.</summary>
    public int MaxEvents { get; set; } = 10_000;

    /// <summary>Adds a problem under <c>events</c> when a batch has more events than allowed.</summary>
    public bool CheckCount(int count, FieldProblems problems)
    {
        if (count <= MaxEvents) return true;
        problems.Add("events", $"the batch has {count} events; at most {MaxEvents} are accepted in one request");
        return false;
    }
}

public static class BatchLimitEndpoints
{
    /// <summary>Applies the configured body size limit to an endpoint that accepts batches.</summary>
    public static TBuilder WithBatchLimits<TBuilder>(this TBuilder builder, BatchLimits limits) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(limits.MaxBytes));
}

/// <summary>
/// Marks an endpoint that accepts batches: the web app gives it the configured <see cref="BatchLimits.MaxBytes"/>
/// (the limit is configuration, so an attribute cannot carry it).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsBatchAttribute : Attribute;
