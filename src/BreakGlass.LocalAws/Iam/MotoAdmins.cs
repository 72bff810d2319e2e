namespace BreakGlass.LocalAws.Iam;

/// <summary>The front's administrator in each account it has one for (<see cref="LocalAwsOptions"/>).</summary>
internal sealed class MotoAdmins
{
    private readonly Dictionary<string, MotoAdmin> _byAccount = new(StringComparer.Ordinal);

    public MotoAdmins(Uri motoEndpoint, LocalAwsOptions options)
    {
        OwnAccountId = options.AccountId;
        if (options.MotoAdmin is { } own) _byAccount[options.AccountId] = new MotoAdmin(motoEndpoint, own);
        foreach (var (account, credentials) in options.MemberAccountAdmins) _byAccount[account] = new MotoAdmin(motoEndpoint, credentials);
    }

    public string OwnAccountId { get; }

    /// <summary>Whether the front enforces anything: only with an administrator in its own account.</summary>
    public bool IsActive => _byAccount.ContainsKey(OwnAccountId);

    public MotoAdmin? For(string accountId) => _byAccount.GetValueOrDefault(accountId);

    /// <summary><c>arn:aws:iam::123456789012:role/Name</c> or <c>arn:aws:sts::123456789012:assumed-role/…</c> → <c>123456789012</c>.</summary>
    public static string? AccountOf(string arn) => arn.Split(':', 6) is [_, _, _, _, { Length: 12 } account, _] ? account : null;
}
