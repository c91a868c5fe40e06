using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Scalegram.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Scalegram.BrowserTests;

/// <summary>Issue 14 in a browser: the settings page lists where you are signed in, signs sessions out, and changes the password; no console or CSP errors.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsPageTests(BrowserFixture browser)
{
    private const string NewPassword = "a-brand-new-passphrase";

    [Fact]
    public async Task Sessions_are_listed_and_signed_out_and_the_password_changes_with_no_console_errors()
    {
        var name = UiSteps.NewUsername("set");
        var laptop = await browser.NewPageAsync();
        var problems = Watch(laptop);
        await UiSteps.SignUpAsync(laptop, name);
        var phone = await browser.NewPageAsync(390, 844);
        await SignInAsync(phone, name, UiSteps.Password);
        await Expect(phone.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" })).ToBeVisibleAsync();

        // The header links to the page; it lists both sessions, this one marked.
        await laptop.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(laptop).ToHaveURLAsync(new Regex("/settings$"));
        var sessions = laptop.Locator(".session");
        await Expect(sessions).ToHaveCountAsync(2);
        await Expect(laptop.Locator(".session[data-current='true'] [data-device]")).ToHaveTextAsync("Chrome on Linux");
        await Expect(laptop.Locator(".session[data-current='true']")).ToContainTextAsync("This device");
        await Expect(laptop.Locator(".session[data-current='true']")).ToContainTextAsync("127.0.0.1");
        await UiSteps.ScreenshotAsync(laptop, "settings-desktop");

        // Sign the phone out by its own button: the phone is signed out at once, the laptop is not.
        await laptop.Locator(".session[data-current='false']").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(laptop.GetByRole(AriaRole.Status).Filter(new() { HasText = "signed out" })).ToHaveTextAsync("That session was signed out.");
        await Expect(sessions).ToHaveCountAsync(1);
        await phone.GotoAsync("/settings");
        await Expect(phone).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fsettings$"));

        // Signed in again on the phone: "everywhere else" ends it and keeps the laptop.
        await SignInAsync(phone, name, UiSteps.Password);
        await laptop.ReloadAsync();
        await Expect(sessions).ToHaveCountAsync(2);
        await laptop.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere else" }).ClickAsync();
        await Expect(laptop.GetByRole(AriaRole.Status).Filter(new() { HasText = "signed out" })).ToHaveTextAsync("Every other session was signed out.");
        await Expect(sessions).ToHaveCountAsync(1);
        await phone.GotoAsync("/settings");
        await Expect(phone).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fsettings$"));

        // A wrong current password is refused inline and changes nothing.
        await SignInAsync(phone, name, UiSteps.Password);
        await laptop.GetByLabel("Current password").FillAsync("not-my-password");
        await laptop.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await laptop.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await laptop.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(laptop.Locator("#current-password-error")).ToHaveTextAsync("That is not your current password; nothing was changed.");
        await Expect(laptop.GetByLabel("Current password")).ToHaveAttributeAsync("aria-invalid", "true");
        await phone.GotoAsync("/settings");
        await Expect(phone).ToHaveURLAsync(new Regex("/settings$"));

        // The right one changes it: the phone is signed out, the laptop stays, only the new password signs in.
        await laptop.GetByLabel("Current password").FillAsync(UiSteps.Password);
        await laptop.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await laptop.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await laptop.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(laptop.GetByRole(AriaRole.Status).Filter(new() { HasText = "password" })).ToHaveTextAsync("Your password was changed. Every other session was signed out.");
        await Expect(sessions).ToHaveCountAsync(1);
        await phone.GotoAsync("/settings");
        await Expect(phone).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fsettings$"));
        await phone.GetByLabel("Username").FillAsync(name);
        await phone.GetByLabel("Password").FillAsync(UiSteps.Password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That username and password do not match an account.");
        await SignInAsync(phone, name, NewPassword);
        await phone.GotoAsync("/settings");
        await Expect(phone.Locator(".session")).ToHaveCountAsync(2);
        await UiSteps.ScreenshotAsync(phone, "settings-phone");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_settings_page_asks_to_sign_in_first_and_is_never_cached()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/settings");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fsettings$"));

        await UiSteps.SignUpAsync(page, UiSteps.NewUsername("nc"));
        var response = await page.GotoAsync("/settings");
        Assert.Equal(200, response!.Status);
        Assert.Contains("no-store", response.Headers["cache-control"], StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers["content-security-policy"], StringComparison.Ordinal);
    }

    private static async Task SignInAsync(IPage page, string name, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("Username").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Your profile ({name})" })).ToBeVisibleAsync();
    }

    private static List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        return problems;
    }
}
