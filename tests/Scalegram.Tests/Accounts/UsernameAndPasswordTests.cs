using Scalegram.Accounts;

namespace Scalegram.Tests.Accounts;

public sealed class UsernameAndPasswordTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("alice_99")]
    [InlineData("Alice")]
    [InlineData("a23456789012345678901234567890")]
    public void Valid_usernames(string name) => Assert.True(Username.TryValidate(name, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("a234567890123456789012345678901")]
    [InlineData("al-ice")]
    [InlineData("al ice")]
    [InlineData("alicé")]
    [InlineData("../etc")]
    public void Invalid_usernames_get_a_message(string? name)
    {
        Assert.False(Username.TryValidate(name, out var error));
        Assert.Contains("3 to 30", error);
    }

    [Fact]
    public void Usernames_are_unique_regardless_of_case() => Assert.Equal(Username.Key("ALice_1"), Username.Key("alice_1"));

    [Theory]
    [InlineData("short1", "at least 8")]
    [InlineData("", "at least 8")]
    [InlineData(null, "at least 8")]
    [InlineData("password123", "common")]
    [InlineData("QWERTYUIOP", "common")]
    [InlineData("my-alice-pass", "username")]
    public void Weak_passwords_are_refused_with_a_reason(string? password, string reason)
    {
        Assert.False(PasswordPolicy.TryValidate(password, "alice", out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_long_uncommon_password_is_accepted() =>
        Assert.True(PasswordPolicy.TryValidate("correct horse battery", "alice", out _));
}
