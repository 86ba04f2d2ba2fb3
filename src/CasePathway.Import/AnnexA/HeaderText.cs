using System.Text;

namespace CasePathway.Import.AnnexA;

/// <summary>
/// Headers and sheet names reduced to a comparable form: lower case, curly quotes straightened and
/// apostrophes dropped, any other punctuation a space, spaces collapsed (<c>Children’s</c> = <c>childrens</c>,
/// <c>Referral NFA?</c> = <c>referral nfa</c>, <c>List_1</c> = <c>list 1</c>).
/// </summary>
public static class HeaderText
{
    public static string Normalise(string? text)
    {
        if (text is null) return "";
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text)
        {
            if (raw is '\'' or '’' or '‘' or '`') continue;
            var c = char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                sb.Append(c);
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return sb.ToString();
    }
}
