using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;
using Scalegram.Accounts;

namespace Scalegram.Benchmarks;

/// <summary>
/// The CPU one sign-in spends verifying its password: before (ASP.NET Identity's PBKDF2-HMAC-SHA512,
/// 100,000 iterations) and after (PBKDF2-HMAC-SHA512, 210,000 iterations), plus the one-time upgrade.
/// </summary>
[MemoryDiagnoser]
public class PasswordHashBenchmarks
{
    private const string Password = "a-fine-long-passphrase";
    private readonly PasswordHasher<object> _legacy = new();
    private string _legacyHash = "";
    private string _hash = "";

    [GlobalSetup]
    public void Setup()
    {
        _legacyHash = _legacy.HashPassword(new object(), Password);
        _hash = PasswordHashing.Hash(Password);
    }

    [Benchmark(Baseline = true, Description = "before: Identity PBKDF2-SHA512 100k verify")]
    public PasswordVerificationResult Before() => _legacy.VerifyHashedPassword(new object(), _legacyHash, Password);

    [Benchmark(Description = "after: PBKDF2-SHA512 210k verify")]
    public bool After() => PasswordHashing.Verify(_hash, Password, out _);

    [Benchmark(Description = "first sign-in after the change: legacy verify + new hash")]
    public string Upgrade()
    {
        PasswordHashing.Verify(_legacyHash, Password, out _);
        return PasswordHashing.Hash(Password);
    }
}
