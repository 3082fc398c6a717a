using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Exchange;

/// <summary>
/// Stores a received <c>uvfile</c> card, on client and server alike, as stock does: never over a
/// newer or equal copy (it double-checks what the sender claimed), a deletion as a tombstone, and
/// an omitted or unchanged content as a new mtime only.
/// </summary>
internal static class UnversionedFileReceiver
{
    /// <param name="files">The receiving repository's unversioned files.</param>
    /// <param name="file">The card, its name already checked.</param>
    /// <param name="receipt">The receipt to record new content under (asked only when content is stored).</param>
    public static void Accept(UnversionedFiles files, UvFileCard file, Func<long> receipt)
    {
        int status = files.Status(file.Name, file.MTime, file.Hash);
        if (status >= 3) return;
        if ((file.Flags & UvFileCard.Deleted) != 0) files.Tombstone(file.Name, file.MTime);
        else if (status == 2 || file.Content is null) files.SetMTime(file.Name, file.MTime);
        else files.Write(file.Name, file.MTime, file.Hash!, file.Content.Value.Span, receipt());
    }
}
