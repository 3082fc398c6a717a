namespace FossilSync.Testing;

/// <summary>The sites where the sync loops consult an <see cref="IFaultInjector"/>.</summary>
public static class FaultSites
{
    /// <summary>Before a request is sent (the round never reaches the server).</summary>
    public const string BeforeSend = "sync.before-send";

    /// <summary>After the reply arrived, before anything of it is stored.</summary>
    public const string AfterReceive = "sync.after-receive";

    /// <summary>After a round's writes, just before its transaction commits (everything must roll back).</summary>
    public const string BeforeCommit = "sync.before-commit";

    internal static void Check(IFaultInjector? faults, string site, double probability = 1.0)
    {
        if (faults is not null && faults.Check(site, probability)) throw new InjectedFaultException(site);
    }
}
