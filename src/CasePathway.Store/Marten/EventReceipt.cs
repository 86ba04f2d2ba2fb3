namespace CasePathway.Store.Marten;

/// <summary>
/// That a council's event id was stored, and what was submitted with it (<see cref="EventContentHash"/>).
/// A document per event, conjoined by council, so ids are scoped to their council: another council's
/// event with the same id neither conflicts nor reveals that this one exists. Written in the same
/// transaction as the event; its primary key is the database's own guard against two writers racing
/// with one new id.
/// </summary>
public sealed class EventReceipt
{
    public Guid Id { get; set; }

    public string Child { get; set; } = "";

    /// <summary>Base64 of the SHA-256 content hash.</summary>
    public string Hash { get; set; } = "";
}
