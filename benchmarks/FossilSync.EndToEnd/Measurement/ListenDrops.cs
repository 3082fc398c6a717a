using System.Globalization;

namespace FossilSync.EndToEnd.Measurement;

/// <summary>
/// How many incoming connections the kernel dropped because a listening socket's accept queue
/// was full (<c>TcpExt ListenDrops</c> in <c>/proc/net/netstat</c>, machine-wide). A dropped
/// SYN costs the client a retransmission a second later, so this explains latency tails that
/// no server CPU figure shows; null where the counter cannot be read.
/// </summary>
internal static class ListenDrops
{
    public static long? Read()
    {
        try
        {
            string[] lines = File.ReadAllLines("/proc/net/netstat");
            for (int i = 0; i + 1 < lines.Length; i++)
            {
                if (!lines[i].StartsWith("TcpExt:", StringComparison.Ordinal)) continue;
                string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int at = Array.IndexOf(names, "ListenDrops");
                return at > 0 && at < values.Length ? long.Parse(values[at], CultureInfo.InvariantCulture) : null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
