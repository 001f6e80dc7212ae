using LcnecBatch.Cli;

return LcnecCommand.Run(args, Console.Out, Console.Error);
