using Scalegram.Cli;

// The host handles SIGTERM itself (drain, then a graceful stop); System.CommandLine's own handler would
// cancel the command and force the exit after 2 s, before the drain has even started.
return await ScalegramCli.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
