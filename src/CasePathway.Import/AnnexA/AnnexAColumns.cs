using System.Text.RegularExpressions;

namespace CasePathway.Import.AnnexA;

/// <summary>A column the importer uses: a key, the header Ofsted's template gives it, and a tolerant pattern.</summary>
public sealed record ColumnSpec(string Key, string Header, Regex Pattern, bool Required = false);

/// <summary>The Annex A lists this importer turns into events, with the columns each needs.</summary>
public static class AnnexAColumns
{
    public const string Child = "child";
    public const string Team = "team";
    public const string Worker = "worker";
    public const string Start = "start";
    public const string End = "end";
    public const string Review = "review";
    public const string Source = "source";
    public const string Outcome = "outcome";
    public const string Icpc = "icpc";
    public const string Unnecessary = "unnecessary";
    public const string Plan = "plan";

    public static readonly ColumnSpec ChildColumn = new(Child, "Child Unique ID", P(@"^child (unique )?id(entifier)?\b"), true);

    private static readonly ColumnSpec[] Allocation =
    [
        new(Team, "Allocated Team", P(@"^allocated team")),
        new(Worker, "Allocated Worker", P(@"^allocated (social )?worker")),
    ];

    /// <summary>The lists 1–8 by number; lists 9–11 (care leavers, adoption) have no pathway events.</summary>
    public static readonly IReadOnlyDictionary<int, IReadOnlyList<ColumnSpec>> Lists = new Dictionary<int, IReadOnlyList<ColumnSpec>>
    {
        [1] = [new(Start, "Date of Contact", P(@"^date of contact"), true), new(Source, "Contact Source", P(@"^contact source"))],
        [2] =
        [
            new(Start, "Assessment start date", P(@"^(early help )?assessment start date"), true),
            new(End, "Assessment completion date", P(@"^(early help )?assessment (completion|completed|end) date")),
        ],
        [3] =
        [
            new(Start, "Date of referral", P(@"^date of referral"), true), new(Source, "Referral Source", P(@"^referral source")),
            .. Allocation,
        ],
        [4] =
        [
            new(Start, "Continuous Assessment Start Date", P(@"assessment start date"), true),
            new(End, "Continuous Assessment Date of Authorisation", P(@"(date of authorisation|authorisation date)")),
            new(Outcome, "Was the child assessed as requiring LA children's social care support?", P(@"(requiring .*support|in need at assessment)")),
            .. Allocation,
        ],
        [5] =
        [
            new(Start, "Strategy discussion initiating Section 47 Enquiry Start Date", P(@"(section 47|s47) enquiry start date|^strategy discussion"), true),
            new(Unnecessary, "Was an Initial Child Protection Conference deemed unnecessary?", P(@"deemed unnecessary")),
            new(Icpc, "Date of Initial Child Protection Conference", P(@"^date of (the )?initial child protection conference|^icpc date|^date of icpc")),
            new(Plan, "Did the Initial Child Protection Conference Result in a Child Protection Plan", P(@"result in a child protection plan")),
            .. Allocation,
        ],
        [6] =
        [
            new(Start, "CIN Start Date", P(@"^cin start date"), true), new(End, "CIN Closure Date", P(@"^cin closure date")),
            .. Allocation,
        ],
        [7] =
        [
            new(Start, "Child Protection Plan Start Date", P(@"(child protection|cp) plan start date"), true),
            new(Review, "Date of latest review conference", P(@"latest review conference")),
            new(End, "Child Protection Plan End Date", P(@"(child protection|cp) plan end date")),
            .. Allocation,
        ],
        [8] =
        [
            new(Start, "Date Started to be Looked After", P(@"date started to be looked after"), true),
            new(Review, "Date of Latest Statutory Review", P(@"latest statutory review")),
            new(End, "Date Ceased to be Looked After", P(@"date ceased to be looked after")),
            .. Allocation,
        ],
    };

    /// <summary>The list a sheet (or CSV file) holds, from its name: <c>List 1</c>, <c>List_1</c>, <c>List 1 - Contacts</c>.</summary>
    public static int? ListNumber(string sheetName)
    {
        var m = ListNameRegex.Match(HeaderText.Normalise(sheetName));
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static readonly Regex ListNameRegex = new(@"(?:^|\s)list\s?(\d{1,2})(?:\s|$)", RegexOptions.CultureInvariant);

    private static Regex P(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
