using CasePathway.Domain.Clocks;
using CasePathway.Host.Features.BreachList;
using CasePathway.Host.Web;
using NodaTime;

namespace CasePathway.Host.Tests.Web;

public sealed class LoopbackUrlsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:0")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://127.0.0.1:1;http://[::1]:2")]
    public void Loopback_urls_are_accepted(string urls) => LoopbackUrls.Parse(urls).ShouldNotBeEmpty();

    [Theory]
    [InlineData("http://0.0.0.0:5080", "not a loopback")]
    [InlineData("http://*:5080", "every network interface")]
    [InlineData("http://+:5080", "every network interface")]
    [InlineData("http://192.168.1.4:5080", "not a loopback")]
    [InlineData("http://example.org:80", "not a loopback")]
    [InlineData("ftp://127.0.0.1:21", "not an http(s) URL")]
    [InlineData("http://127.0.0.1:5080/app", "has a path")]
    [InlineData("http://127.0.0.1:1;http://10.0.0.1:2", "10.0.0.1")]
    [InlineData("", "at least one URL")]
    public void Other_urls_are_refused_with_the_reason(string urls, string reason) =>
        Should.Throw<ArgumentException>(() => LoopbackUrls.Parse(urls)).Message.ShouldContain(reason);
}

public sealed class BreachUrgencyTests
{
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 14, 10, 0);

    private static BreachRow Row(ClockStatus status, string due, Instant overdueFrom) =>
        new("357", "C1", "screening", "t", "K1", null, null, "2024-03-01", due, status, "0", overdueFrom);

    [Fact]
    public void A_breached_clock_is_overdue() =>
        BreachUrgencies.Of(Row(ClockStatus.Breached, "2024-03-12", Instant.FromUtc(2024, 3, 13, 0, 0)), Now).ShouldBe(BreachUrgency.Overdue);

    [Fact]
    public void A_clock_due_on_the_lists_London_date_is_due_today() =>
        BreachUrgencies.Of(Row(ClockStatus.Running, "2024-03-14", Instant.FromUtc(2024, 3, 15, 0, 0)), Now).ShouldBe(BreachUrgency.DueToday);

    [Fact]
    public void An_hour_clock_due_later_today_is_due_today() =>
        BreachUrgencies.Of(Row(ClockStatus.Running, "2024-03-14T15:30", Instant.FromUtc(2024, 3, 14, 15, 30)), Now).ShouldBe(BreachUrgency.DueToday);

    [Fact]
    public void A_clock_due_tomorrow_is_due_soon() =>
        BreachUrgencies.Of(Row(ClockStatus.Running, "2024-03-15", Instant.FromUtc(2024, 3, 16, 0, 0)), Now).ShouldBe(BreachUrgency.DueSoon);

    [Fact]
    public void Today_is_the_London_date_not_the_UTC_one()
    {
        // 23:30 UTC on 31 March 2024 is 00:30 on 1 April in London (summer time)
        var lateEvening = Instant.FromUtc(2024, 3, 31, 23, 30);
        BreachUrgencies.Of(Row(ClockStatus.Running, "2024-04-01", Instant.FromUtc(2024, 4, 1, 23, 0)), lateEvening).ShouldBe(BreachUrgency.DueToday);
    }

    [Fact]
    public void Tags_are_red_orange_yellow()
    {
        BreachUrgency.Overdue.TagClass().ShouldBe("govuk-tag--red");
        BreachUrgency.DueToday.TagClass().ShouldBe("govuk-tag--orange");
        BreachUrgency.DueSoon.TagClass().ShouldBe("govuk-tag--yellow");
    }
}

public sealed class AsAtTextTests
{
    [Theory]
    [InlineData("2024-03-14T10:00:00Z", "2024-03-14T10:00:00Z")]
    [InlineData("2024-07-01T10:00:00+01:00", "2024-07-01T09:00:00Z")]
    [InlineData("2024-07-01T10:00", "2024-07-01T09:00:00Z")] // London summer time
    [InlineData("2024-01-10T10:00", "2024-01-10T10:00:00Z")]
    public void Instants_and_London_local_times_are_read(string text, string expectedUtc)
    {
        AsAtText.TryParse(text, out var asAt).ShouldBeTrue();
        asAt.ShouldBe(NodaTime.Text.InstantPattern.ExtendedIso.Parse(expectedUtc).Value);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-02-30T10:00")]
    [InlineData("14/03/2024 10:00")]
    public void Other_text_is_refused(string text) => AsAtText.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Empty_means_now()
    {
        AsAtText.TryParse(" ", out var asAt).ShouldBeTrue();
        asAt.ShouldBeNull();
    }
}

public sealed class BreachCsvTests
{
    [Fact]
    public void Cells_are_quoted_and_formulas_defused_but_negative_numbers_kept()
    {
        var row = new BreachRow("357", "=HYPERLINK(\"x\")", "screening", "t", "K1", "Team, A", null, "2024-03-01", "2024-03-02", ClockStatus.Breached, "-3", Instant.MinValue);
        var noted = row with { Reason = new CasePathway.Host.Features.BreachReasons.BreachReasonView("other", "Other", "=cmd|' /C calc'!A0", "m", "2024-03-03T10:00:00Z") };
        var lines = BreachCsv.Write([row, noted]).Split("\r\n");
        lines[1].ShouldBe("357,\"'=HYPERLINK(\"\"x\"\")\",screening,K1,\"Team, A\",,2024-03-01,2024-03-02,breached,-3,,");
        // a reason's note is text a person typed: defused like any other
        lines[2].ShouldEndWith(",breached,-3,other,'=cmd|' /C calc'!A0");
    }
}
