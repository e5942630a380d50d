using PolicyGen.Cli;

// The composition root: the only place that touches the process's console and environment.
BuildHeap.Reserve(args);
return NpgenApp.Run(args, CommandConsole.FromProcess());
