namespace PolicyGen.Diagnostics;

/// <summary>The error codes npgen reports; docs/errors.md explains each one.</summary>
public static class DiagnosticCodes
{
    // Reading manifests (NPG1xx).
    public const string FileNotFound = "NPG100";
    public const string YamlSyntax = "NPG101";
    public const string WrongType = "NPG102";
    public const string MissingField = "NPG103";
    public const string DuplicateObject = "NPG104";
    public const string BadValue = "NPG105";
    public const string DuplicateEndpoint = "NPG106";
    public const string YamlInputTooLarge = "NPG107";
    public const string YamlTooDeep = "NPG108";
    public const string YamlExcessiveAliasing = "NPG109";
    public const string YamlMergeKey = "NPG110";
    public const string SkippedObjects = "NPG111";
    public const string NotKubernetesObjects = "NPG112";
    public const string UnmodeledPolicy = "NPG113";
    public const string ContainerPortOutOfRange = "NPG114";
    public const string NonRegularFileSkipped = "NPG120";
    public const string TemplatesDirectoryNotFound = "NPG121";
    public const string SymlinkSkipped = "NPG122";

    // Command-line conventions: where the intent and the output are (NPG140-NPG149).
    public const string OutputFlagIsNotAFormat = "NPG140";
    public const string IntentDirectoryWithoutIntent = "NPG141";
    public const string IntentStdinWithEnvironment = "NPG142";
    public const string IntentIsAnOverlay = "NPG143";
    public const string UnknownCommand = "NPG144";
    public const string OverlayUnknownApp = "NPG145";
    public const string OutputPathAmbiguous = "NPG146";
    public const string StdinReadTwice = "NPG147";
    public const string IntentStdinNotCommittable = "NPG148";
    public const string EnvironmentMissingValue = "NPG149";

    // Reading JSON manifests (NPG150-NPG159).
    public const string JsonSyntax = "NPG150";
    public const string JsonValueTooLarge = "NPG151";
    public const string JsonStreamNotReread = "NPG152";

    // The intent file (NPG3xx).
    public const string IntentUnknownKey = "NPG300";
    public const string IntentMissingField = "NPG301";
    public const string IntentWrongType = "NPG302";
    public const string IntentUnknownReference = "NPG303";
    public const string IntentBadCidr = "NPG305";
    public const string IntentExceptOutsideCidr = "NPG306";
    public const string IntentOverlappingApps = "NPG307";
    public const string IntentUnenforceable = "NPG308";
    public const string IntentBadPort = "NPG309";
    public const string IntentBadName = "NPG310";
    public const string IntentContradiction = "NPG311";
    public const string IntentOverlay = "NPG312";
    public const string IntentBadHeader = "NPG313";

    // Namespace-wide rules and everyApp (NPG314-NPG328).
    public const string NamespaceRulePortName = "NPG314";
    public const string EveryAppPortUndeclared = "NPG315";
    public const string NamespaceRuleContradiction = "NPG316";
    public const string EveryAppContradiction = "NPG317";
    public const string NamespaceEdgeContradiction = "NPG318";
    public const string NamespacePolicyNameTaken = "NPG319";

    // spec.cluster: cluster-wide policy (NPG330-NPG349).
    public const string ClusterSectionInvalid = "NPG330";
    public const string ClusterProtectedConflict = "NPG331";
    public const string ClusterDnsConflict = "NPG332";
    public const string ClusterMonitoringConflict = "NPG333";
    public const string ClusterBaselineConflict = "NPG334";
    public const string ClusterPriority = "NPG335";
    public const string ClusterPolicyInvalid = "NPG336";

    // Compiling and verifying (NPG4xx).
    public const string VerificationMismatch = "NPG400";
    public const string ExpectationFailed = "NPG401";
    public const string GeneratedPolicyInvalid = "NPG402";
    public const string TemplateError = "NPG403";

    // Verifying a rendered stream against the intent: npgen verify --rendered and the validator (NPG410-NPG429).
    public const string RenderedPolicyMissing = "NPG410";
    public const string RenderedPolicyExtra = "NPG411";
    public const string RenderedNamespaceChanged = "NPG412";
    public const string RenderedNameChanged = "NPG413";
    public const string RenderedSelectorLabelsAdded = "NPG414";
    public const string RenderedRuleChanged = "NPG415";
    public const string RenderedFlowMismatch = "NPG416";
    public const string RenderedPolicyUnreadable = "NPG417";
    public const string RenderedForeignPolicy = "NPG418";
    public const string RenderedInputIgnored = "NPG419";

    // Running inside kustomize or kpt (NPG7xx).
    public const string GeneratorConfig = "NPG700";
    public const string ResourceListInvalid = "NPG701";
    public const string GeneratorPathOutsideRoot = "NPG710";
    public const string GeneratorBadEnvironment = "NPG711";
    public const string LoadRestrictorInvalid = "NPG712";
    public const string KrmForeignPolicy = "NPG713";
    public const string ValidatorConfig = "NPG720";

    // KRM inputs, legacy plugin arguments and Argo CD wiring (NPG730-739).
    public const string KrmNoIntent = "NPG730";
    public const string PluginArgument = "NPG731";
    public const string ArgoCdRepoNotCloneable = "NPG732";
    public const string KrmFileNotInPackage = "NPG733";

    // Reviewing changes and drawing pictures: npgen diff, graph, matrix -o dot|mermaid (NPG840-NPG859).
    public const string DiffBadSide = "NPG840";
    public const string DiffGitRepositoryNotFound = "NPG841";
    public const string DiffGitRevisionNotFound = "NPG842";
    public const string DiffGitPathNotFound = "NPG843";
    public const string DiffGitSymbolicLink = "NPG844";
    public const string DiffInputTooLarge = "NPG845";
    public const string DiffSideUnusable = "NPG846";
    public const string DiffManifestPoliciesIgnored = "NPG847";
    public const string DiffNoPolicies = "NPG848";
    public const string GraphvizMissing = "NPG850";
    public const string GraphvizFailed = "NPG851";

    // npgen itself failed (NPG9xx): a bug to report, never the input's fault.
    public const string InternalError = "NPG900";

    // Writing output (NPG5xx).
    public const string InvalidOutputPath = "NPG500";
    public const string MissingGeneratedMarker = "NPG501";
    public const string DuplicateOutputPath = "NPG502";
    public const string OutputPathOccupied = "NPG503";
    public const string OutputWriteFailed = "NPG504";
    public const string OutputPartiallyWritten = "NPG505";
    public const string StaleFileNotDeleted = "NPG506";
    public const string OutputCleanupIncomplete = "NPG507";
    public const string OutputHoldsOtherOutput = "NPG510";
    public const string OutputOtherIntentLeftAlone = "NPG511";
    public const string OutputEnvironmentMismatch = "NPG512";
    public const string OutputEnvironmentUnrecorded = "NPG513";
    public const string OutputSymbolicLink = "NPG514";

    // Checking an intent against real manifests, npgen check (NPG8xx).
    public const string CheckAppSelectsNothing = "NPG800";
    public const string CheckUnselectedPods = "NPG801";
    public const string CheckPortMissing = "NPG802";
    public const string CheckNamespaceLabels = "NPG803";
    public const string CheckNamespaceLabelPeer = "NPG804";
    public const string CheckDnsPeer = "NPG805";
    public const string CheckIngressController = "NPG806";
    public const string CheckIncomplete = "NPG807";

    // Committing and publishing to Git (NPG6xx).
    public const string GitNotAWorkTree = "NPG600";
    public const string GitUnrelatedStagedChanges = "NPG601";
    public const string GitOperationFailed = "NPG602";
    public const string GitPushRejected = "NPG603";
    public const string GitRaceLost = "NPG604";
    public const string GitForeignCommits = "NPG605";
    public const string GitAuthentication = "NPG606";
    public const string GitBranchNotFound = "NPG607";
    public const string GitCannotRetry = "NPG608";
    public const string GitNoUpstream = "NPG609";

    // Git transport safety (NPG610-NPG629).
    public const string GitBadUrl = "NPG610";
    public const string GitSymlinkInRepository = "NPG611";
    public const string GitTimeout = "NPG612";
    public const string GitNoRepository = "NPG613";
    public const string GitRemoteHeadElsewhere = "NPG614";

    // Importing existing policies, named ports and addresses in eval and matrix (NPG860-NPG899).
    public const string ImportNotExpressible = "NPG870";
    public const string ImportNoPolicies = "NPG871";
    public const string ImportOutputRefused = "NPG872";
    public const string EvalNamedPortUnresolved = "NPG880";
    public const string MatrixBadAddress = "NPG881";

    // Cluster-scoped policies: AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy (NPG520-NPG549).
    public const string ClusterPolicyName = "NPG520";
    public const string ClusterPolicyEqualPriority = "NPG521";
    public const string ClusterPolicyTierOrPriority = "NPG522";
    public const string ClusterPolicySubject = "NPG523";
    public const string ClusterPolicyRule = "NPG524";
    public const string ClusterPolicyAction = "NPG525";
    public const string ClusterPolicyPeer = "NPG526";
    public const string ClusterPolicyPort = "NPG527";
    public const string ClusterPolicyDomainNames = "NPG528";
    public const string ClusterPolicyNotCompared = "NPG529";
}
