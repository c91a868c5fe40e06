using System.ComponentModel.DataAnnotations;

namespace Scalegram.Accounts;

/// <summary>The accounts feature's settings (section "Accounts"): how long a session lives, in all and unused.</summary>
internal sealed class AccountsOptions : IValidatableObject
{
    public const string Section = "Accounts";

    /// <summary>The absolute lifetime of a session: it ends then however much it is used.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00", ErrorMessage = "Accounts:SessionLifetime must be between 5 min and 365 days.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A session not used for this long is refused (OWASP ASVS 3.3.2 asks for an idle timeout besides the absolute one).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00", ErrorMessage = "Accounts:SessionIdleTimeout must be between 5 min and 365 days.")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromDays(14);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionIdleTimeout > SessionLifetime)
        {
            yield return new ValidationResult(
                "Accounts:SessionIdleTimeout must not be longer than Accounts:SessionLifetime (it could never apply).", [nameof(SessionIdleTimeout)]);
        }
    }
}
