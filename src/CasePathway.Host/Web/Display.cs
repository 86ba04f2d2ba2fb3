using System.Text;
using CasePathway.Domain.Clocks;

namespace CasePathway.Host.Web;

/// <summary>How the pages word and colour the contract's names (the names themselves stay as they are).</summary>
public static class Display
{
    /// <summary>"ContactReceived" → "Contact received"; the contract's type stays visible beside it.</summary>
    public static string Sentence(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(pascal[i - 1])) text.Append(' ').Append(char.ToLowerInvariant(c));
            else text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>A clock status as a GOV.UK tag colour.</summary>
    public static string StatusTagClass(ClockStatus status) => status switch
    {
        ClockStatus.Breached => "govuk-tag--red",
        ClockStatus.Late => "govuk-tag--orange",
        ClockStatus.Running => "govuk-tag--blue",
        ClockStatus.Met => "govuk-tag--green",
        ClockStatus.NotMeasurable => "govuk-tag--purple",
        _ => "govuk-tag--grey",
    };

    /// <summary>The status's contract name as a label: "Breached", "Not measurable".</summary>
    public static string StatusLabel(ClockStatus status) => Sentence(status.ToString());
}
