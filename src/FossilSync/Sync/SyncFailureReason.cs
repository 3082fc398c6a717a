namespace FossilSync.Sync;

/// <summary>Why a sync or clone stopped with a <see cref="SyncProtocolException"/>, so a caller can act without reading the message.</summary>
public enum SyncFailureReason
{
    /// <summary>Not classified (an exception made without a reason).</summary>
    Unspecified = 0,

    /// <summary>The server did not accept the user name and password (<c>error login failed</c>): ask for other credentials.</summary>
    LoginFailed,

    /// <summary>The user lacks a capability for what was asked (read, write, clone, private content, configuration).</summary>
    NotAuthorized,

    /// <summary>The server holds another project than the local repository.</summary>
    WrongProject,

    /// <summary>Any other <c>error</c> card from the server (its text is in the message).</summary>
    ServerError,

    /// <summary>The server's reply broke the protocol (an unknown card, a missing project code, an invalid name).</summary>
    ProtocolViolation,

    /// <summary>The session did not converge: it ran out of rounds or rounds stopped bringing anything new.</summary>
    NoProgress,

    /// <summary>The server sent artifacts whose content does not match their names.</summary>
    DamagedContent,

    /// <summary>The clone ended with artifacts still missing (deltas waiting on sources never sent).</summary>
    Incomplete,
}
