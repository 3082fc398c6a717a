using FossilSync.Xfer;

namespace FossilSync.Fuzz;

/// <summary>
/// Card equality by value. Records compare <see cref="ReadOnlyMemory{T}"/> payloads by
/// reference, so payload cards compare their bytes and the rest of the record separately.
/// </summary>
internal static class CardComparer
{
    public static bool Same(XferCard a, XferCard b) => (a, b) switch
    {
        (FileCard x, FileCard y) => x with { Content = default } == y with { Content = default } && x.Content.Span.SequenceEqual(y.Content.Span),
        (CFileCard x, CFileCard y) => x with { Payload = default } == y with { Payload = default } && x.Payload.Span.SequenceEqual(y.Payload.Span),
        (ConfigCard x, ConfigCard y) => x with { Content = default } == y with { Content = default } && x.Content.Span.SequenceEqual(y.Content.Span),
        (UvFileCard x, UvFileCard y) => x with { Content = null } == y with { Content = null } && SameOptional(x.Content, y.Content),
        _ => a.Equals(b),
    };

    private static bool SameOptional(ReadOnlyMemory<byte>? x, ReadOnlyMemory<byte>? y) =>
        x is null ? y is null : y is not null && x.Value.Span.SequenceEqual(y.Value.Span);
}
