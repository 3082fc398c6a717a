namespace FossilSync.Xfer;

/// <summary>A sync message that does not follow the card grammar; says where and what.</summary>
public sealed class XferFormatException : FossilSyncException
{
    /// <summary>Creates the exception for a problem on line <paramref name="lineNumber"/> (1-based).</summary>
    public XferFormatException(int lineNumber, string line, string problem)
        : base($"malformed sync message at line {lineNumber}: {problem} (line: \"{Shorten(line)}\")")
    {
        LineNumber = lineNumber;
        Line = line;
    }

    /// <summary>1-based number of the offending line.</summary>
    public int LineNumber { get; }

    /// <summary>The offending line (may be shortened).</summary>
    public string Line { get; }

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..117] + "...";
}
