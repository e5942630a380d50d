using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Verify;

public sealed class IntentVerifierTests
{
    [Fact]
    public void APeerWrittenWithAnAppsLabels_MeansThatAppsPods()
    {
        // {podLabels: {app: web}} in shop are web's pods; the verifier must judge them as web
        // (egress-isolated, calling api), not as some other pod of the managed namespace.
        var result = BuildPipeline.Run(LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces:
                shop: {managed: true}
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: api
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TCP}
                  ingress:
                  - from: [{podLabels: {app: web}}]
            """), new BuildOptions());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        Assert.Empty(result.Verification!.Mismatches);
    }
}
