using Microsoft.EntityFrameworkCore;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>
/// OpenIddict's clients, authorizations and tokens, in memory: a restart forgets refresh tokens and pending device
/// codes (a client signs in again), while access tokens stay valid because the signing key is kept on disk.
/// </summary>
internal sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
