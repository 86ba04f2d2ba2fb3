using CasePathway.Host.Security;
using CasePathway.Testing;

namespace CasePathway.Host.Tests.Security;

/// <summary>The access audit's own store: what is appended is read back by council, child, person and date, and looks appended at once never conflict.</summary>
public sealed class AccessAuditTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static ChildRecordViewed Look(string council, string child, string who, DateTimeOffset at, string? reason = null) =>
        new(who, "user", ["qa-lead"], council, child, null, "child-record (api)", $"/api/children/{council}/{child}", at, reason);

    [Fact]
    public async Task Looks_are_read_back_by_council_child_person_and_date()
    {
        using var audit = new AccessAudit(database.DataSource);
        await audit.EnsureAsync();
        using (var again = new AccessAudit(database.DataSource))
            (await again.EnsureAsync()).ShouldBeFalse("its fingerprint was recorded by the first apply");
        var day1 = new DateTimeOffset(2026, 3, 2, 23, 59, 0, TimeSpan.Zero);
        var day2 = new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero);
        await audit.RecordAsync([Look("AA", "C1", "amy", day1), Look("AA", "C2", "amy", day2)]);
        await audit.RecordAsync(Look("AA", "C1", "bob", day2, reason: "subject access request 17"));
        await audit.RecordAsync(Look("BB", "C1", "amy", day2));

        (await audit.ReadAsync(new AccessAudit.Filter("AA"))).Select(l => (l.Child, l.Who)).ShouldBe([("C1", "amy"), ("C2", "amy"), ("C1", "bob")]);
        (await audit.ReadAsync(new AccessAudit.Filter("AA", Child: "C1"))).Select(l => l.Who).ShouldBe(["amy", "bob"]);
        (await audit.ReadAsync(new AccessAudit.Filter("AA", Who: "bob"))).Single().Reason.ShouldBe("subject access request 17");
        (await audit.ReadAsync(new AccessAudit.Filter("AA", From: new DateOnly(2026, 3, 3)))).Select(l => l.Child).ShouldBe(["C2", "C1"]);
        (await audit.ReadAsync(new AccessAudit.Filter("AA", To: new DateOnly(2026, 3, 2)))).Select(l => l.At).ShouldBe([day1]);
        (await audit.ReadAsync(new AccessAudit.Filter("BB"))).Count.ShouldBe(1, "a council's audit holds none of another's looks");
    }

    [Fact]
    public async Task Looks_appended_at_once_by_many_requests_are_all_kept()
    {
        using var audit = new AccessAudit(database.DataSource);
        await audit.EnsureAsync();
        var at = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => audit.RecordAsync(Look("CC", "C" + i, "amy", at))));
        (await audit.ReadAsync(new AccessAudit.Filter("CC"))).Select(l => l.Child).Order().ShouldBe(Enumerable.Range(0, 40).Select(i => "C" + i).Order());
    }
}
