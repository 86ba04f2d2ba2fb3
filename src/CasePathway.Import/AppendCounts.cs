namespace CasePathway.Import;

/// <summary>How many of an import's events were new and how many the store already had.</summary>
public sealed record AppendCounts(int Appended, int AlreadyPresent);
