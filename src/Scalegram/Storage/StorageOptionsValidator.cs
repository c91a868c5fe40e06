using Microsoft.Extensions.Options;

namespace Scalegram.Storage;

/// <summary>Fails start-up on a wrong S3 setting when the S3 engine is chosen, naming every wrong key at once.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Engine != StorageEngine.S3)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = options.S3.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
