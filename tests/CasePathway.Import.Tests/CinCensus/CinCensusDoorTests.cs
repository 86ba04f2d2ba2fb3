using System.Xml;
using System.Xml.Linq;
using CasePathway.Domain.Calendar;
using CasePathway.Import.CinCensus;

namespace CasePathway.Import.Tests.CinCensus;

/// <summary>The door's limits and the reader's bounds in the CIN census: rejections name child, line and element; no DTD is processed.</summary>
public sealed class CinCensusDoorTests
{
    private static string Census(string child, string referral = "2021-05-04", string source = "1A", string lea = "999") => $"""
        <Message><Header><CollectionDetails><ReferenceDate>2022-03-31</ReferenceDate></CollectionDetails><Source><LEA>{lea}</LEA></Source></Header>
        <Children>
          <Child><ChildIdentifiers><LAchildID>GOOD</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2021-05-04</CINreferralDate></CINdetails></Child>
          <Child><ChildIdentifiers><LAchildID>{child}</LAchildID></ChildIdentifiers>
            <CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>{source}</ReferralSource></CINdetails>
          </Child>
        </Children></Message>
        """;

    private static ImportBatch Import(string xml, string? tenant = null)
    {
        using var reader = XmlReader.Create(new StringReader(xml), CinCensusImporter.ReaderSettings);
        return new CinCensusImporter(tenant, WorkingCalendar.EnglandAndWales()).Import(reader);
    }

    // the row is the record's line: the Child element (line 4) for its id, the CINdetails episode (line 5) for its values
    public static TheoryData<string, string, int, string, string> Refused => new()
    {
        { Census("a/b"), "a/b", 4, "LAchildID", "'/' at position 2" },
        { Census(new string('C', 65)), new string('C', 40) + "…", 4, "LAchildID", "at most 64" },
        { Census("C2", referral: "1965-01-01"), "C2", 5, "CINreferralDate", "before 1970-01-01" },
        { Census("C2", source: new string('s', 1001)), "C2", 5, "ReferralSource", "at most 1000" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_value_beyond_the_doors_limits_rejects_its_record_naming_child_line_and_element(string xml, string child, int line, string column, string says)
    {
        var batch = Import(xml);
        var rejection = batch.Rejections.ShouldHaveSingleItem();
        (rejection.Child, rejection.Row, rejection.Column).ShouldBe((child, line, column));
        rejection.Reason.ShouldContain(says);
        batch.Events.Select(e => e.Child).Distinct().ShouldBe(["GOOD"]);
    }

    [Fact]
    public void A_tenant_no_event_could_hold_is_refused_whether_given_or_read_from_the_file()
    {
        Should.Throw<ImportFileException>(() => Import(Census("C1"), tenant: "3 5 7")).Message.ShouldStartWith("--tenant:");
        Should.Throw<ImportFileException>(() => Import(Census("C1", lea: "9/9"))).Message.ShouldStartWith("Header/Source/LEA:");
    }

    [Fact]
    public void A_document_type_definition_is_refused_so_entities_cannot_expand()
    {
        const string laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <Message><Header><Source><LEA>&c;</LEA></Source></Header><Children/></Message>
            """;
        using var folder = new TempFolder();
        var error = Should.Throw<ImportFileException>(() => CinCensusImporter.Import(folder.Write("laughs.xml", laughs), null));
        error.Message.ShouldContain("DTD");
    }

    [Theory]
    [MemberData(nameof(CinCensusTests.Files), MemberType = typeof(CinCensusTests))]
    public void Streaming_the_file_gives_what_reading_the_whole_document_gives(string file)
    {
        var streamed = CinCensusImporter.Import(Samples.Cin(file), null);
        var whole = new CinCensusImporter(null, WorkingCalendar.EnglandAndWales()).Import(XDocument.Load(Samples.Cin(file), LoadOptions.SetLineInfo));
        streamed.Events.ShouldBe(whole.Events);
        streamed.Rejections.ShouldBe(whole.Rejections);
        streamed.Warnings.ShouldBe(whole.Warnings);
        streamed.RowsRead.ShouldBe(whole.RowsRead);
    }
}
