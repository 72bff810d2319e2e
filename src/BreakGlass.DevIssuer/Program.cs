using BreakGlass.DevIssuer;
using BreakGlass.DevIssuer.Provider;

// LOCAL DEVELOPMENT ONLY. Usage:
//   serve --state <dir> --port <n> [--address 127.0.0.1] [--audience breakglass-api] [--cli-client-id breakglass-cli]
//         [--web-client-id breakglass-web] [--web-redirect-uri <uri>]... [--web-client-secret <secret>]
//         [--access-token-seconds 3600] [--user name=email:group,group]...
//                                                                 the development OpenID Connect provider
//   init  <dir>                                                   create a key pair (jwks.json is what BreakGlass trusts)
//   token <dir> <issuer> <audience> <email> <group,group> [min]   print a signed token
switch (args)
{
    case ["serve", .. var options]:
        ProviderSettings settings;
        try
        {
            settings = ProviderSettings.Parse(options);
        }
        catch (ArgumentException usage)
        {
            Console.Error.WriteLine($"serve: {usage.Message}");
            return 2;
        }
        await ProviderHost.Build(settings).RunAsync();
        return 0;
    case ["init", var directory]:
        DevTokenIssuer.Create(directory);
        Console.WriteLine(Path.Combine(directory, DevTokenIssuer.PublicKeysFileName));
        return 0;
    case ["token", var directory, var issuer, var audience, var email, var groups, .. var rest]:
        var minutes = rest is [var value] ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 480;
        Console.WriteLine(DevTokenIssuer.Load(directory).Mint(issuer, audience, email, groups.Split(',', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromMinutes(minutes)));
        return 0;
    default:
        Console.Error.WriteLine("usage: serve --state <dir> --port <n> [options] | init <dir> | token <dir> <issuer> <audience> <email> <groups> [minutes]");
        return 2;
}
