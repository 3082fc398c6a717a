namespace FossilSync.Repo.Artifacts;

/// <summary>
/// Walks an artifact card by card and token by token. Tokens are separated by exactly one
/// space (two spaces make an empty token), as in fossil's own reader; every byte must be
/// consumed by some card or the artifact is rejected.
/// </summary>
internal ref struct CardReader(ReadOnlySpan<byte> text)
{
    private readonly ReadOnlySpan<byte> _text = text;
    private int _position;

    /// <summary>The caches of the crosslink session parsing this text, or null for a parse on its own.</summary>
    public ParseSession? Session { get; init; }

    /// <summary>True when the last token ended its line.</summary>
    public bool AtEndOfLine { get; private set; } = true;

    /// <summary>True once every byte has been consumed.</summary>
    public readonly bool AtEnd => _position >= _text.Length;

    /// <summary>The next card's letter, or 0 when there is none (or the line is not a card).</summary>
    public byte NextCard()
    {
        if (!AtEndOfLine || _position >= _text.Length || _position + 1 >= _text.Length) return 0;
        byte letter = _text[_position];
        switch (_text[_position + 1])
        {
            case (byte)' ':
                _position += 2;
                AtEndOfLine = false;
                return letter;
            case (byte)'\n':
                _position += 2;
                AtEndOfLine = true;
                return letter;
            default:
                return 0;
        }
    }

    /// <summary>The next token on the current line; false at the end of the line.</summary>
    public bool NextToken(out ReadOnlySpan<byte> token)
    {
        if (AtEndOfLine)
        {
            token = default;
            return false;
        }
        var rest = _text[_position..];
        int end = rest.IndexOfAny((byte)' ', (byte)'\n');
        if (end < 0) end = rest.Length;
        token = rest[..end];
        AtEndOfLine = end < rest.Length && rest[end] == '\n';
        _position += end + 1;
        return true;
    }

    /// <summary>The rest of the current line, not consumed (empty at the end of a line).</summary>
    public readonly ReadOnlySpan<byte> PeekRestOfLine()
    {
        if (AtEndOfLine) return default;
        var rest = _text[_position..];
        int end = rest.IndexOf((byte)'\n');
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>Consumes the rest of the current line, newline included.</summary>
    public void SkipRestOfLine()
    {
        if (AtEndOfLine) return;
        _position += PeekRestOfLine().Length + 1;
        AtEndOfLine = true;
    }

    /// <summary>Takes a W card's <paramref name="size"/> bytes of text and the newline after them.</summary>
    public bool TakeText(int size, out ReadOnlySpan<byte> text)
    {
        text = default;
        // Stock also wants at least one byte after the newline: the W card is never last.
        if ((long)_position + size + 1 >= _text.Length || _text[_position + size] != '\n') return false;
        text = _text.Slice(_position, size);
        _position += size + 1;
        return true;
    }
}
