namespace FossilSync.Nats;

/// <summary>The NATS headers of the sync exchange between <see cref="NatsTransport"/> and <see cref="FossilNatsServer"/>.</summary>
internal static class NatsHeaderNames
{
    /// <summary>The body's framing, as HTTP's Content-Type (<c>application/x-fossil</c>…).</summary>
    public const string ContentType = "Fossil-Content-Type";

    /// <summary>The hub that answered (on replies and change notices); a session keeps to it.</summary>
    public const string Hub = "Fossil-Hub";

    /// <summary>The whole body's length in bytes, when it travels in several chunks.</summary>
    public const string Length = "Fossil-Length";

    /// <summary>How many chunks the body travels in (absent: one).</summary>
    public const string Chunks = "Fossil-Chunks";

    /// <summary>Which chunk a fetch asks for (0-based).</summary>
    public const string Chunk = "Fossil-Chunk";

    /// <summary>The subject where the client hands out the rest of a large request, chunk by chunk.</summary>
    public const string Upload = "Fossil-Upload";

    /// <summary>Names a large reply kept by the hub until its chunks are fetched.</summary>
    public const string Transfer = "Fossil-Transfer";

    /// <summary>A request that only asks which hub answers (no sync round).</summary>
    public const string Ping = "Fossil-Ping";

    /// <summary>The hub could not do what a fetch or upload asked (an expired transfer…).</summary>
    public const string Error = "Fossil-Error";

    /// <summary>On a change notice: how many names did not fit in the message.</summary>
    public const string More = "Fossil-More";

    /// <summary>The W3C trace context of the client round, as over HTTP, so the hub's span joins its trace.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C <c>tracestate</c> sent with <see cref="TraceParent"/>.</summary>
    public const string TraceState = "tracestate";
}
