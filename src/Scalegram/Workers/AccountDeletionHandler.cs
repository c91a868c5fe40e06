using Scalegram.Jobs;
using Scalegram.Messaging;

namespace Scalegram.Workers;

/// <summary>account.delete: erases a deleted account's data everywhere (<see cref="AccountEraser"/>); safe to redeliver and to rerun after a crash.</summary>
internal sealed class AccountDeletionHandler(AccountEraser eraser) : IJobHandler
{
    public string Type => JobTypes.DeleteAccount;

    public Task HandleAsync(Job job, CancellationToken ct) => eraser.RunAsync(JobJson.Read<AccountDeletionJob>(job), ct);
}
