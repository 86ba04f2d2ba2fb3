namespace CasePathway.Domain.Events;

/// <summary>One problem with submitted input, naming the field (<c>occurredAt</c>, <c>data.contactId</c>) and what is wrong.</summary>
public sealed record FieldError(string Field, string Message);
