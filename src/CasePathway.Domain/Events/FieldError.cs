namespace CasePathway.Domain.Events;

/// <summary>One problem with submitted input, naming the field it concerns (<c>data.outcome</c>, <c>[3].id</c>).</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
