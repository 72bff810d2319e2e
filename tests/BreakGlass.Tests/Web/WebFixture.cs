using BreakGlass.DevIssuer;
using BreakGlass.LocalAws;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BreakGlass.Tests.Web;

/// <summary>
/// BreakGlass with its pages on, signing people in at the development provider, behind the recording AWS front (so
/// sessions have CloudTrail evidence) with short evidence passes and a federation endpoint double; plus one headless
/// Chromium (Debian's, <c>/usr/bin/chromium</c>) for the class.
/// </summary>
public sealed class WebFixture : DevProviderFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>A phone: the engineer breaks glass from one at 3 AM.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    /// <summary>Someone in all three groups, to visit every page.</summary>
    public static readonly DevUser Olivia = new("olivia", "olivia@example.com",
        [TestIdentityProvider.RequesterGroup, TestIdentityProvider.ReviewerGroup, TestIdentityProvider.AuditorGroup], "all roles");

    public static readonly DevUser Erin = DevProvider.Engineer("erin");
    public static readonly DevUser Frank = DevProvider.Engineer("frank");

    private IPlaywright? _playwright;

    public WebFixture()
    {
        EvidenceSettings.Apply(Overrides);
        Overrides["Web__FederationUrl"] = Federation.Url.ToString();
    }

    internal FederationDouble Federation { get; } = new();

    internal IBrowser Browser { get; private set; } = null!;

    private protected override LocalAwsOptions? LocalAwsFront => new();

    private protected override IEnumerable<DevUser> ExtraUsers => [Olivia, Erin, Frank];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout((float)Eventually.Patience.TotalMilliseconds);
        // Root in a container cannot use Chromium's sandbox.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A fresh browser profile signed in as <paramref name="user"/> through the provider's user chooser, on the start page.</summary>
    internal async Task<IPage> BrowseAsAsync(string user, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Service.BaseAddress.ToString(),
            ViewportSize = viewport ?? Desktop,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout((float)Eventually.Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Eventually.Patience.TotalMilliseconds);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator($"button[name=dev_user][value={user}]").ClickAsync();
        // Waiting for the page's load event after the sign-in redirects was seen to hang on a loaded machine although the
        // page had arrived: wait for the navigation to commit and the signed-in layout to show instead.
        await page.WaitForURLAsync(Service.BaseAddress.ToString(), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves what the page looks like now as <c>screenshots/NAME.png</c> beside the tests (docs/screenshots holds the committed ones).</summary>
    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Federation.Dispose();
        await base.DisposeAsync();
    }
}
