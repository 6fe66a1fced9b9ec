using Pipeline.Jobs.Cli;

return await PipelineCli.RunAsync(args).ConfigureAwait(false);
