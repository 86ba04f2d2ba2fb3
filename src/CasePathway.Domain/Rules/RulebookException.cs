namespace CasePathway.Domain.Rules;

/// <summary>A rulebook or tenant override file that cannot be used; the message names the rule and field.</summary>
public sealed class RulebookException(string message, Exception? inner = null) : Exception(message, inner);
