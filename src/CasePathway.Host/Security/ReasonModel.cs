using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CasePathway.Host.Security;

/// <summary>
/// Asks an administrator why they need a child's record, then sends them back to it with <c>reason=</c>
/// (which the access audit keeps). Only a path of this site is returned to.
/// </summary>
public sealed class ReasonModel : PageModel
{
    public string ReturnUrl { get; private set; } = "/";
    public string? Reason { get; private set; }
    public string? Problem { get; private set; }

    public IActionResult OnGet(string? returnUrl, string? reason)
    {
        ReturnUrl = returnUrl is { Length: > 0 } r && Url.IsLocalUrl(r) ? r : "/";
        // the form's first showing has no reason at all; a blank one sent back is a problem to name
        if (!Request.Query.ContainsKey(NeedToKnowRequirement.ReasonParameter)) return Page();
        reason ??= "";
        Reason = reason;
        var trimmed = reason.Trim();
        Problem = trimmed.Length == 0 ? "Enter why you need this record"
            : trimmed.Length > NeedToKnowRequirement.MaxReasonLength ? $"Reason must be {NeedToKnowRequirement.MaxReasonLength} characters or fewer"
            : null;
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // a reason already in the address (a blank one, say) is replaced, not repeated
        var queryStart = ReturnUrl.IndexOf('?');
        var path = queryStart < 0 ? ReturnUrl : ReturnUrl[..queryStart];
        var query = QueryHelpers.ParseQuery(queryStart < 0 ? "" : ReturnUrl[queryStart..]);
        query.Remove(NeedToKnowRequirement.ReasonParameter);
        query[NeedToKnowRequirement.ReasonParameter] = trimmed;
        return LocalRedirect(QueryHelpers.AddQueryString(path, query));
    }
}
