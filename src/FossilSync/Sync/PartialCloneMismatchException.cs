namespace FossilSync.Sync;

/// <summary>The server of a resumed clone holds another project: the partial file is of no use and the clone starts over.</summary>
internal sealed class PartialCloneMismatchException(string message) : Exception(message);
