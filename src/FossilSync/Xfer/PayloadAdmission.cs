namespace FossilSync.Xfer;

/// <summary>What a reader does with a payload card's bytes, decided before it reads them.</summary>
internal enum PayloadAdmission
{
    /// <summary>Read the payload into the card.</summary>
    Read,

    /// <summary>Read past the payload without keeping it (stock ignores an unversioned file the user may not write).</summary>
    Skip,

    /// <summary>Stop reading: the rest of the message is not wanted.</summary>
    Refuse,
}

/// <summary>
/// A payload card whose payload was skipped or refused; <see cref="Kind"/> is its card name
/// (whether reading can go on is the reader's <c>Refused</c>).
/// </summary>
internal sealed record WithheldPayloadCard(string Kind) : XferCard;
