namespace BreakGlass.Cli;

/// <summary>What a script can rely on (docs/engineer-guide.md lists them).</summary>
internal enum ExitCode
{
    Success = 0,
    /// <summary>Something unexpected; the message says what.</summary>
    Failure = 1,
    /// <summary>Bad arguments, or the service refused the request as invalid (400, 413, 422).</summary>
    Usage = 2,
    /// <summary>No usable sign-in (and no terminal to start one), or the service refused the token (401).</summary>
    NotSignedIn = 3,
    /// <summary>The break-glass policy or the caller's roles do not allow it (403).</summary>
    Refused = 4,
    /// <summary>No such grant, or no open grant on the role (404).</summary>
    NotFound = 5,
    /// <summary>The grant has ended, or it conflicts with the grant's state or the open-grant cap (409).</summary>
    GrantEnded = 6,
    /// <summary>BreakGlass cannot be reached, is failing (5xx) or asks to slow down (429).</summary>
    ServiceUnavailable = 7,
    /// <summary>AWS refused or could not be reached (STS through the service's 502, or the federation endpoint).</summary>
    AwsFailed = 8,
}
