namespace FossilSync.Server;

/// <summary>
/// What a request may do, from the capability letters of <c>nobody</c>, <c>anonymous</c> and
/// the logged-in user: <c>g</c> clone, <c>o</c> read, <c>i</c> write (and read), <c>x</c>
/// private, <c>y</c> unversioned write, <c>e</c> concealed addresses; <c>a</c>/<c>s</c> include clone, read and write but,
/// as in stock, not <c>x</c> or <c>y</c>.
/// </summary>
internal sealed class Capabilities
{
    private readonly HashSet<char> _letters = [];

    public bool Clone => _letters.Contains('g');
    public bool Read => _letters.Contains('o');
    public bool Write => _letters.Contains('i');
    public bool Private => _letters.Contains('x');
    public bool WriteUnversioned => _letters.Contains('y');
    public bool Admin => _letters.Contains('a') || _letters.Contains('s');
    public bool ReadAddresses => Admin || _letters.Contains('e');

    /// <summary>Adds a user's letters, expanding the ones that imply others.</summary>
    public void Add(string? letters, Func<string, string?> capsOfUser)
    {
        foreach (char c in letters ?? "")
        {
            _letters.Add(c);
            switch (c)
            {
                case 'a' or 's': _letters.UnionWith("gio"); break;
                case 'i': _letters.Add('o'); break;
                case 'u': Add(capsOfUser("reader")?.Replace("u", ""), capsOfUser); break;
                case 'v': Add(capsOfUser("developer")?.Replace("v", ""), capsOfUser); break;
            }
        }
    }
}
