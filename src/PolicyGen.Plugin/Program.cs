using PolicyGen.Pipeline;

var result = BuildPipeline.Run(args[0], new BuildOptions());
Console.Out.Write(result.Succeeded ? BuildOutput.Stream(result) : string.Join("\n", result.Diagnostics));
return result.Succeeded ? 0 : 1;
