using BreakGlass.Grants;
using BreakGlass.Tests.Grants;

namespace BreakGlass.Tests.Tickets;

internal static class TicketApi
{
    /// <summary>Polls the grant until its ticket reaches <paramref name="status"/> or the timeout passes; returns the ticket object.</summary>
    public static async Task<TicketView> WaitForTicketAsync(this HttpClient client, string grantId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var ticket = (await client.GetGrantAsync(grantId)).Ticket!;
            if (ticket.Status == status || DateTime.UtcNow > deadline) return ticket;
            await Task.Delay(200);
        }
    }
}
