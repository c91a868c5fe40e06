using System.ComponentModel.DataAnnotations;

namespace Scalegram.Accounts;

/// <summary>How deleted accounts are handled (section "Accounts": UsernameQuarantine, DeletionBatchSize).</summary>
internal sealed class AccountDeletionOptions : IValidatableObject
{
    public const string Section = "Accounts";

    /// <summary>How long a deleted account's username stays reserved (nobody may sign up with it); 0 frees it at once.</summary>
    public TimeSpan UsernameQuarantine { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many rows (photos, likes, comments, edges...) the deletion job removes per transaction.</summary>
    [Range(1, 10_000, ErrorMessage = "Accounts:DeletionBatchSize must be between 1 and 10000.")]
    public int DeletionBatchSize { get; set; } = 200;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsernameQuarantine < TimeSpan.Zero || UsernameQuarantine > TimeSpan.FromDays(3650))
        {
            yield return new ValidationResult("Accounts:UsernameQuarantine must be between 00:00:00 and 3650.00:00:00 (ten years).", [nameof(UsernameQuarantine)]);
        }
    }
}
