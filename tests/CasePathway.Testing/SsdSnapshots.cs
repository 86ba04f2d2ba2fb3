using System.Globalization;
using System.Text;

namespace CasePathway.Testing;

/// <summary>
/// A synthetic Standard Safeguarding Dataset extract of any size, for the SSD import's large tests and its
/// benchmark: per child a contact, a referral (with team and worker), an assessment, an involvement, and for
/// every fifth child an S47 enquiry with its conference. Night 2 differs from night 1 in a known way
/// (<see cref="Night2Changes"/>). Written straight to CSV, a row at a time.
/// </summary>
public static class SsdSnapshots
{
    /// <summary>Night 1's instant; dates in both nights are before it.</summary>
    public const string Night1AsOf = "2026-01-05T02:00:00+00:00";

    public const string Night2AsOf = "2026-01-06T02:00:00+00:00";

    /// <summary>What night 2 changes, for <paramref name="children"/> children.</summary>
    /// <returns>Assessments authorised overnight (every 10th child's, open on night 1), referral dates corrected
    /// (every 50th child's, a day earlier) and contacts vanished (every 100th child's).</returns>
    public static (int Authorised, int Corrected, int Vanished) Night2Changes(int children) =>
        (Enumerable.Range(0, children).Count(i => Open(i) && i % 10 == 0),
         Enumerable.Range(0, children).Count(i => i % 50 == 0),
         Enumerable.Range(0, children).Count(i => i % 100 == 0));

    // One child in three has an assessment still open on night 1.
    private static bool Open(int i) => i % 3 == 0;

    public static void Write(string folder, int children, int night)
    {
        Directory.CreateDirectory(folder);
        var start = new DateOnly(2025, 1, 6);
        using var contacts = Table(folder, "ssd_contacts", "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_source_desc,cont_contact_outcome_json");
        using var referrals = Table(folder, "ssd_cin_episodes", "cine_referral_id,cine_person_id,cine_referral_date,cine_referral_source_code,cine_referral_nfa,cine_close_date,cine_referral_team,cine_referral_worker_id");
        using var assessments = Table(folder, "ssd_cin_assessments", "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id");
        using var s47s = Table(folder, "ssd_s47_enquiry", "s47e_s47_enquiry_id,s47e_person_id,s47e_referral_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa,s47e_s47_outcome_json");
        using var icpcs = Table(folder, "ssd_initial_cp_conference", "icpc_icpc_id,icpc_person_id,icpc_s47_enquiry_id,icpc_cp_plan_id,icpc_icpc_date,icpc_icpc_outcome_cp_flag");
        using var involvements = Table(folder, "ssd_involvements", "invo_involvements_id,invo_person_id,invo_professional_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date");
        for (var i = 0; i < children; i++)
        {
            var child = "P" + i.ToString(CultureInfo.InvariantCulture);
            var day = start.AddDays(i % 300);
            var referred = night == 2 && i % 50 == 0 ? day.AddDays(-1) : day;
            var team = "Team " + (i % 12).ToString(CultureInfo.InvariantCulture);
            var worker = "W" + (i % 400).ToString(CultureInfo.InvariantCulture);
            if (!(night == 2 && i % 100 == 0))
                contacts.WriteLine($"K{i},{child},{D(day)} 09:{i % 60:00},1A,Police,\"{{\"\"NEW_REFERRAL_FLAG\"\": \"\"Y\"\"}}\"");
            referrals.WriteLine($"R{i},{child},{D(referred)},1A,N,,{team},{worker}");
            var authorised = Open(i) && !(night == 2 && i % 10 == 0) ? "" : D(day.AddDays(20));
            assessments.WriteLine($"A{i},{child},R{i},{D(day.AddDays(1))},{authorised},N,{team},{worker}");
            involvements.WriteLine($"V{i},{child},{worker},{team},{D(day)},");
            if (i % 5 == 0)
            {
                s47s.WriteLine($"S{i},{child},R{i},{D(day.AddDays(2))},{D(day.AddDays(9))},N,\"{{\"\"CP_CONFERENCE_FLAG\"\": \"\"Y\"\"}}\"");
                icpcs.WriteLine($"I{i},{child},S{i},P{i}-CP,{D(day.AddDays(16))},Y");
            }
        }
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static StreamWriter Table(string folder, string name, string header)
    {
        var writer = new StreamWriter(Path.Combine(folder, name + ".csv"), false, new UTF8Encoding(false), 1 << 16);
        writer.WriteLine(header);
        return writer;
    }
}
