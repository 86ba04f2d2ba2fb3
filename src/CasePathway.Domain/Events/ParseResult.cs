namespace CasePathway.Domain.Events;

/// <summary>Either a value or every problem found in the input (never both).</summary>
public sealed class ParseResult<T> where T : class
{
    private ParseResult(T? value, IReadOnlyList<FieldError> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>The parsed value; null exactly when <see cref="Errors"/> is not empty.</summary>
    public T? Value { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    public static ParseResult<T> Ok(T value) => new(value, []);

    public static ParseResult<T> Fail(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failed parse needs at least one error.", nameof(errors)) : new(null, errors);

    /// <summary>The value, or an exception listing every error (for input that is trusted to be valid).</summary>
    public T ValueOrThrow() => Value ?? throw new InvalidEventException(Errors);
}

/// <summary>Input that should have been valid was not; carries every problem found.</summary>
public sealed class InvalidEventException(IReadOnlyList<FieldError> errors)
    : Exception("Invalid event: " + string.Join("; ", errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
