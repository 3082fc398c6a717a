namespace FossilSync.Observability;

/// <summary>What one client round moved, gathered as it runs; a struct, so a round with no observer allocates nothing for it.</summary>
internal struct RoundCounts
{
    public int FilesSent;
    public int FilesReceived;
    public long BytesSent;
    public long BytesReceived;
    public int GimmesSent;
    public int GimmesReceived;
    public int IGotsSent;
    public int IGotsReceived;
    public int UnversionedSent;
    public int UnversionedReceived;

    public readonly RoundStats ToStats(int round) => new(round, FilesSent, FilesReceived, BytesSent, BytesReceived)
    {
        GimmesSent = GimmesSent,
        GimmesReceived = GimmesReceived,
        IGotsSent = IGotsSent,
        IGotsReceived = IGotsReceived,
        UnversionedSent = UnversionedSent,
        UnversionedReceived = UnversionedReceived,
    };

    public void Add(in RoundCounts other)
    {
        FilesSent += other.FilesSent;
        FilesReceived += other.FilesReceived;
        BytesSent += other.BytesSent;
        BytesReceived += other.BytesReceived;
        GimmesSent += other.GimmesSent;
        GimmesReceived += other.GimmesReceived;
        IGotsSent += other.IGotsSent;
        IGotsReceived += other.IGotsReceived;
        UnversionedSent += other.UnversionedSent;
        UnversionedReceived += other.UnversionedReceived;
    }
}
