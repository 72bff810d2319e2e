using BreakGlass.DevIssuer;

// LOCAL DEVELOPMENT ONLY. Usage:
//   init  <dir>                                                   create a key pair (jwks.json is what BreakGlass trusts)
//   token <dir> <issuer> <audience> <email> <group,group> [min]   print a signed token
switch (args)
{
    case ["init", var directory]:
        DevTokenIssuer.Create(directory);
        Console.WriteLine(Path.Combine(directory, DevTokenIssuer.PublicKeysFileName));
        return 0;
    case ["token", var directory, var issuer, var audience, var email, var groups, .. var rest]:
        var minutes = rest is [var value] ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 480;
        Console.WriteLine(DevTokenIssuer.Load(directory).Mint(issuer, audience, email, groups.Split(',', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromMinutes(minutes)));
        return 0;
    default:
        Console.Error.WriteLine("usage: init <dir> | token <dir> <issuer> <audience> <email> <groups> [minutes]");
        return 2;
}
