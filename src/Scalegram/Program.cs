using Scalegram.Cli;

return await ScalegramCli.Create().Parse(args).InvokeAsync();
