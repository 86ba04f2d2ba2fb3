using System.Text;

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

    /// <summary>A clock status (contract wire name) as a GOV.UK tag colour.</summary>
    public static string StatusTagClass(string status) => status switch
    {
        "breached" => "govuk-tag--red",
        "late" => "govuk-tag--orange",
        "running" => "govuk-tag--blue",
        "met" => "govuk-tag--green",
        "cancelled" => "govuk-tag--grey",
        "not-measurable" => "govuk-tag--purple",
        _ => "govuk-tag--grey",
    };

    public static string StatusLabel(string status) => status switch
    {
        "not-measurable" => "Not measurable",
        _ => status.Length == 0 ? status : char.ToUpperInvariant(status[0]) + status[1..],
    };
}
