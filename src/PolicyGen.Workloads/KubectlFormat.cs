namespace PolicyGen.Workloads;

/// <summary>How <c>npgen bench gen --style kubectl</c> prints the cluster: as <c>kubectl get -o json</c> or <c>-o yaml</c> would.</summary>
public enum KubectlFormat
{
    Json,
    Yaml,
}
