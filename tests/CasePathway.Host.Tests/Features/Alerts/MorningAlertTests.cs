using CasePathway.Host.Features.Alerts;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Wolverine;

namespace CasePathway.Host.Tests.Features.Alerts;

/// <summary>
/// Morning alerts end to end: a duty manager subscribes on the page, Wolverine keeps the message scheduled in
/// PostgreSQL, and at the council's time it goes — to an SMTP server or to GOV.UK Notify's API impersonated on
/// loopback, each recording what it received. Each test has a database and servers of its own.
/// </summary>
public sealed class MorningAlertTests
{
    private static Dictionary<string, string?> Smtp(LoopbackSmtpServer smtp) => new()
    {
        ["CasePathway:Alerts:Channel"] = "smtp",
        ["CasePathway:Alerts:Smtp:Host"] = "127.0.0.1",
        ["CasePathway:Alerts:Smtp:Port"] = smtp.Port.ToString(),
        ["CasePathway:Alerts:Smtp:Security"] = "none",
        ["CasePathway:Alerts:Smtp:From"] = "casepathway@alpha.example",
    };

    // a key of Notify's shape (name, service id, secret): the client signs its token with the last two
    private const string NotifyKey = "test_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
    private const string Template = "f33517ff-2a88-4f6e-b855-c550268ce08a";

    private static Dictionary<string, string?> Notify(LoopbackNotify notify) => new()
    {
        ["CasePathway:Alerts:Channel"] = "notify",
        ["CasePathway:Alerts:Notify:ApiKey"] = NotifyKey,
        ["CasePathway:Alerts:Notify:TemplateId"] = Template,
        ["CasePathway:Alerts:Notify:BaseUrl"] = notify.BaseAddress.ToString(),
    };

    [Fact]
    public async Task A_subscriber_gets_exactly_one_message_at_the_councils_time_with_the_teams_counts_and_a_link()
    {
        await using var smtp = new LoopbackSmtpServer();
        var host = new AlertsHost(Smtp(smtp));
        await host.InitializeAsync();
        try
        {
            var subscription = await host.SubscribeAsync();
            (await host.NextDateAsync(subscription)).ShouldBe(AlertsHost.Today);
            (await host.WaitingMessagesAsync()).ShouldBe(1, "the first message waits in Wolverine's storage");
            smtp.Received.ShouldBeEmpty("nothing goes before the council's time");

            await host.DeliveredAsync(subscription, 1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            smtp.Received.Count.ShouldBe(1);
            var (to, message) = smtp.Received.Single();
            to.ShouldBe(["mash.manager@alpha.example"]);
            message.Subject.ShouldBe("Team MASH: 1 breached, 1 due within 2 working days");
            var body = message.TextBody!;
            body.ShouldContain("Team MASH, Alpha Borough Council — Thursday 14 March 2024");
            body.ShouldContain("1 clock is breached; 1 more falls due by Monday 18 March 2024 (within 2 working days).");
            body.ShouldContain("(mash-screening): 2");
            body.ShouldContain("https://casepathway.alpha.example/breaches?tenant=A&team=MASH&within=2");
            // the list behind the link holds what the message counted, and no child is named in the message
            foreach (var child in new[] { "MA1", "MA2", "EA1" }) body.ShouldNotContain(child);

            var delivery = (await host.DeliveriesAsync(subscription)).Single();
            delivery.ShouldBe((AlertsHost.Today, "sent", 1, delivery.Detail, 2));
            (await host.NextDateAsync(subscription)).ShouldBe(new LocalDate(2024, 3, 15), "the next working day's message is scheduled");
            (await host.WaitingMessagesAsync()).ShouldBe(1);
        }
        finally { await host.DisposeAsync(); }
    }

    [Fact]
    public async Task A_restart_between_scheduling_and_sending_still_delivers_exactly_once()
    {
        await using var smtp = new LoopbackSmtpServer();
        var host = new AlertsHost(Smtp(smtp), sendsAt: new LocalTime(10, 0, 12));
        await host.InitializeAsync();
        try
        {
            var subscription = await host.SubscribeAsync();
            await host.StopAsync();
            smtp.Received.ShouldBeEmpty();
            (await host.WaitingMessagesAsync()).ShouldBe(1, "the scheduled message outlives the server in PostgreSQL");

            await host.StartAsync();
            await host.DeliveredAsync(subscription, 1);
            await Task.Delay(TimeSpan.FromSeconds(6));
            smtp.Received.Count.ShouldBe(1);
            (await host.DeliveriesAsync(subscription)).Single().Outcome.ShouldBe("sent");
        }
        finally { await host.DisposeAsync(); }
    }

    [Fact]
    public async Task The_same_days_message_run_again_or_twice_at_once_sends_nothing_more()
    {
        await using var smtp = new LoopbackSmtpServer();
        var host = new AlertsHost(Smtp(smtp));
        await host.InitializeAsync();
        try
        {
            var subscription = await host.SubscribeAsync();
            await host.DeliveredAsync(subscription, 1);

            // the same day's message again, through Wolverine as a duplicate would come
            await host.App!.Services.GetRequiredService<IMessageBus>().PublishAsync(SendMorningAlert.For(subscription, AlertsHost.Today));
            // and the next day's twice at once, as two servers would run it
            var alerts = host.App.Services.GetRequiredService<MorningAlerts>();
            var tomorrow = new LocalDate(2024, 3, 15);
            await Task.WhenAll(alerts.SendAsync(SendMorningAlert.For(subscription, tomorrow), 1, default), alerts.SendAsync(SendMorningAlert.For(subscription, tomorrow), 1, default));
            await Task.Delay(TimeSpan.FromSeconds(6));

            smtp.Received.Count.ShouldBe(2, "one for the 14th, one for the 15th");
            (await host.DeliveriesAsync(subscription)).Select(d => d.Date).ShouldBe([AlertsHost.Today, tomorrow]);
            (await host.NextDateAsync(subscription)).ShouldBe(new LocalDate(2024, 3, 18), "Saturday and Sunday are skipped");
        }
        finally { await host.DisposeAsync(); }
    }

    [Fact]
    public async Task Notify_is_sent_the_message_and_a_5xx_is_tried_again_until_it_is_taken()
    {
        await using var notify = await LoopbackNotify.StartAsync();
        notify.Answers.Enqueue(500);
        notify.Answers.Enqueue(503);
        var host = new AlertsHost(Notify(notify));
        await host.InitializeAsync();
        try
        {
            var subscription = await host.SubscribeAsync(email: "team.lead@alpha.example", within: "0");
            await host.DeliveredAsync(subscription, 1, 90);
            await Task.Delay(TimeSpan.FromSeconds(3));

            notify.Received.Select(r => r.Status).ShouldBe([500, 503, 201]);
            var (authorization, body, _) = notify.Received.Last();
            authorization.ShouldStartWith("Bearer ");
            body["email_address"]!.GetValue<string>().ShouldBe("team.lead@alpha.example");
            body["template_id"]!.GetValue<string>().ShouldBe(Template);
            body["reference"]!.GetValue<string>().ShouldBe($"{subscription:N}-20240314");
            body["personalisation"]!["subject"]!.GetValue<string>().ShouldBe("Team MASH: 1 breached, 0 due within 0 working days");
            body["personalisation"]!["body"]!.GetValue<string>().ShouldContain("/breaches?tenant=A&team=MASH&within=0");
            var delivery = (await host.DeliveriesAsync(subscription)).Single();
            (delivery.Outcome, delivery.Attempts).ShouldBe(("sent", 3));
        }
        finally { await host.DisposeAsync(); }
    }

    [Fact]
    public async Task A_4xx_from_Notify_is_recorded_as_failed_once_and_the_next_day_is_still_scheduled()
    {
        await using var notify = await LoopbackNotify.StartAsync();
        notify.Answers.Enqueue(400);
        var host = new AlertsHost(Notify(notify));
        await host.InitializeAsync();
        try
        {
            var subscription = await host.SubscribeAsync();
            await host.DeliveredAsync(subscription, 1);
            await Task.Delay(TimeSpan.FromSeconds(4));

            notify.Received.Count.ShouldBe(1, "a 4xx is not tried again");
            var delivery = (await host.DeliveriesAsync(subscription)).Single();
            delivery.Outcome.ShouldBe("failed");
            delivery.Attempts.ShouldBe(1);
            delivery.Detail!.ShouldContain("Status code 400");
            (await host.NextDateAsync(subscription)).ShouldBe(new LocalDate(2024, 3, 15));
            (await host.WaitingMessagesAsync()).ShouldBe(1);
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            (await http.GetAsync("/health/live")).IsSuccessStatusCode.ShouldBeTrue("the server carries on");
        }
        finally { await host.DisposeAsync(); }
    }
}
