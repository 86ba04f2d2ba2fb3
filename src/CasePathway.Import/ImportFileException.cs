namespace CasePathway.Import;

/// <summary>
/// The source cannot be imported at all (unreadable, the wrong kind of file, no recognisable list, a
/// missing identifying column). The message says which and is fit to show as it is.
/// </summary>
public sealed class ImportFileException(string message, Exception? inner = null) : Exception(message, inner);
