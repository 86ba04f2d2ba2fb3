using NodaTime;

namespace CasePathway.Domain.Calendar;

/// <summary>
/// One England &amp; Wales bank holiday: from gov.uk's published data, or <paramref name="Computed"/> from
/// the regular pattern for a year outside it.
/// </summary>
public sealed record BankHoliday(LocalDate Date, string Title, bool IsSubstitute, bool Computed);
