namespace BreakGlass.Notifications;

/// <summary>
/// A notification before it is queued. <paramref name="DedupeKey"/> names its cause (an audit event, a day's reminder):
/// however often the cause is reported, each channel gets one.
/// </summary>
/// <param name="Title">One line without markup, for a heading.</param>
/// <param name="Text">What happened in a sentence or two, in plain text (channels escape it for their markup).</param>
/// <param name="Data">The facts, named for machines; never a secret.</param>
internal sealed record NotificationDraft(
    string Type,
    string DedupeKey,
    string Severity,
    string Title,
    string Text,
    Guid? GrantId,
    IReadOnlyDictionary<string, object?> Data);
