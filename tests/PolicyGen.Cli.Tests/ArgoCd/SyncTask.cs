namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>One object of an Argo CD sync as gitops-engine orders it (phase, wave, kind, name).</summary>
public sealed record SyncTask(string Phase, int Wave, string Kind, string Name, string? Namespace, bool CreatedByArgoCd);
