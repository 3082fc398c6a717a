namespace FossilSync.AspNetCore;

/// <summary>Carries a failure out of the sync handler, which has logged it, to the endpoint's catch, which must not log it again.</summary>
internal sealed class HandlerFailedException(Exception inner) : Exception(inner.Message, inner);
