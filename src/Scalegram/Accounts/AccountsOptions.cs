using System.ComponentModel.DataAnnotations;

namespace Scalegram.Accounts;

/// <summary>The accounts feature's settings (section "Accounts"): how long a session lives, in all and unused, and how deleted accounts are handled.</summary>
internal sealed class AccountsOptions : IValidatableObject
{
    public const string Section = "Accounts";

    /// <summary>The absolute lifetime of a session: it ends then however much it is used.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00", ErrorMessage = "Accounts:SessionLifetime must be between 5 min and 365 days.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A session not used for this long is refused (OWASP ASVS 3.3.2 asks for an idle timeout besides the absolute one).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00", ErrorMessage = "Accounts:SessionIdleTimeout must be between 5 min and 365 days.")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a deleted account's username stays reserved (nobody may sign up with it); 0 frees it at once.</summary>
    public TimeSpan UsernameQuarantine { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many rows (photos, likes, comments, edges...) the deletion job removes per transaction.</summary>
    [Range(1, 10_000, ErrorMessage = "Accounts:DeletionBatchSize must be between 1 and 10000.")]
    public int DeletionBatchSize { get; set; } = 200;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionIdleTimeout > SessionLifetime)
        {
            yield return new ValidationResult(
                "Accounts:SessionIdleTimeout must not be longer than Accounts:SessionLifetime (it could never apply).", [nameof(SessionIdleTimeout)]);
        }

        if (UsernameQuarantine < TimeSpan.Zero || UsernameQuarantine > TimeSpan.FromDays(3650))
        {
            yield return new ValidationResult("Accounts:UsernameQuarantine must be between 00:00:00 and 3650.00:00:00 (ten years).", [nameof(UsernameQuarantine)]);
        }
    }
}
