using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

/// <summary>
/// Builds the objects of a generated cluster as the API server returns them to
/// <c>kubectl get pods,ns,netpol,deploy,rs -A</c>: the fields npgen reads exactly as the plain
/// generator writes them (names, labels, container ports, hostNetwork, pod IPs, policy specs), and
/// around them what a real cluster adds, so that reading a dump costs what it costs on a real one.
/// </summary>
/// <remarks>
/// Shapes this relies on (Kubernetes API reference, core/v1, apps/v1, networking.k8s.io/v1, meta/v1):
/// ObjectMeta carries uid, resourceVersion (a string), creationTimestamp (RFC 3339, UTC), generation
/// (controllers and policies), ownerReferences {apiVersion, kind, name, uid, controller,
/// blockOwnerDeletion} and managedFields entries {apiVersion, fieldsType: FieldsV1, fieldsV1 (a trie
/// of "f:field", "k:{key}" and "." entries), manager, operation: Update or Apply, subresource (e.g.
/// status), time}. PodSpec: containers {name, image, imagePullPolicy, env {name, value | valueFrom},
/// ports {containerPort, name, protocol}, resources {limits, requests}, terminationMessagePath,
/// terminationMessagePolicy, volumeMounts {name, mountPath, readOnly}}, volumes (the projected
/// kube-api-access token volume: serviceAccountToken, the kube-root-ca.crt configMap and the
/// namespace from the downward API; a configMap volume with defaultMode 420), tolerations
/// {key, operator, effect, tolerationSeconds}, nodeName, dnsPolicy (ClusterFirstWithHostNet for
/// hostNetwork pods). PodStatus: phase, conditions {type, status, lastProbeTime, lastTransitionTime},
/// hostIP, hostIPs [{ip}], podIP, podIPs [{ip}], qosClass, startTime, containerStatuses {containerID,
/// image, imageID, lastState, name, ready, restartCount, started, state.running.startedAt}. The API
/// server defaults NetworkPolicy policyTypes (Ingress, plus Egress when egress rules exist) and port
/// protocol (TCP), so a dump shows them. A ReplicaSet's name, pod labels and selector carry the
/// pod-template-hash; its pods' generateName is the ReplicaSet name and a dash.
/// Everything that is not taken from the cluster (uids, times, container ids, nodes) is derived
/// from the seed and the object's name, so the same workload always prints the same bytes.
/// </remarks>
internal sealed class KubectlObjects
{
    private const string ContainerName = "main";
    private static readonly System.Collections.Immutable.ImmutableArray<string> IngressOnly = ["Ingress"];
    private static readonly System.Collections.Immutable.ImmutableArray<string> IngressAndEgress = ["Ingress", "Egress"];
    private static readonly DateTime Epoch = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    private readonly Workload workload;
    private readonly Dictionary<string, List<WorkloadApp>> appsByNamespace;
    private readonly List<(string Name, string Address)> nodes;
    private readonly Dictionary<string, string> nodeByAddress;
    private readonly Dictionary<string, WorkloadApp> podApps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> templateHashes = new(StringComparer.Ordinal);
    private long resourceVersion = 4_812_000;

    public KubectlObjects(Workload workload)
    {
        if (workload.Cluster.Endpoints.FirstOrDefault(e => e.Kind != "Pod") is { } other)
        {
            throw new ArgumentException($"a kubectl dump lists Pods; {other.Kind} {other.Id} stands for pods the workload does not have", nameof(workload));
        }

        this.workload = workload;
        appsByNamespace = workload.Apps.GroupBy(a => a.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // The node agent runs with hostNetwork on every node, so its pods' IPs are the nodes' IPs.
        var addresses = workload.Cluster.Endpoints.Where(e => e.HostNetwork).SelectMany(e => e.Addresses)
            .Select(a => a.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (addresses.Count == 0)
        {
            addresses.Add("192.168.0.1");
        }

        nodes = [.. addresses.Select((a, i) => ($"node-{i.ToString("D4", CultureInfo.InvariantCulture)}", a))];
        nodeByAddress = nodes.ToDictionary(n => n.Address, n => n.Name, StringComparer.Ordinal);
        foreach (var pod in workload.Cluster.Endpoints.Where(e => e.Kind == "Pod"))
        {
            if (FindApp(pod) is { } app)
            {
                podApps[pod.Id] = app;
                if (pod.Labels.TryGetValue("pod-template-hash", out var hash))
                {
                    templateHashes.TryAdd(app.Id, hash);
                }
            }
        }
    }

    /// <summary>Every object, in the order kubectl prints <c>pods,ns,netpol,deploy,rs</c>: by resource, then namespace and name.</summary>
    public IEnumerable<JsonObject> All()
    {
        foreach (var pod in workload.Cluster.Endpoints.Where(e => e.Kind == "Pod"))
        {
            yield return Pod(pod);
        }

        foreach (var ns in workload.Cluster.Namespaces)
        {
            yield return NamespaceObject(ns);
        }

        foreach (var policy in workload.Cluster.Policies)
        {
            yield return Policy(policy);
        }

        var deployments = workload.Apps.Where(a => a.Kind == "Deployment" && templateHashes.ContainsKey(a.Id))
            .OrderBy(a => a.Namespace, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
        foreach (var app in deployments)
        {
            yield return Deployment(app);
        }

        foreach (var app in deployments.OrderBy(a => a.Namespace, StringComparer.Ordinal).ThenBy(ReplicaSetName, StringComparer.Ordinal))
        {
            yield return ReplicaSet(app);
        }
    }

    // ---- Pods ----

    private JsonObject Pod(Endpoint pod)
    {
        var app = AppOf(pod);
        var created = Time($"Pod/{pod.Id}", 20);
        var address = pod.Addresses.IsEmpty ? null : pod.Addresses[0].ToString();
        var node = pod.HostNetwork && address is not null && nodeByAddress.TryGetValue(address, out var own)
            ? (Name: own, Address: address)
            : nodes[(int)(Number($"node/{pod.Id}") % (ulong)nodes.Count)];
        var token = "kube-api-access-" + Token($"token/{pod.Id}", 5);
        var metadata = new JsonObject();
        if (app is not null)
        {
            metadata["generateName"] = OwnerName(app, pod) + "-";
        }

        metadata["labels"] = Map(pod.Labels);
        metadata["managedFields"] = new JsonArray(
            Managed(app is null ? "kubectl-create" : "kube-controller-manager", "Update", "v1", created, null, PodSpecFields(pod, app, token)),
            Managed("kubelet", "Update", "v1", created.AddSeconds(4), "status", PodStatusFields(pod)));
        metadata["name"] = pod.Name;
        metadata["namespace"] = pod.Namespace;
        if (app is not null)
        {
            metadata["ownerReferences"] = new JsonArray(Owner(app, pod));
        }

        Stamp(metadata, $"Pod/{pod.Id}", created);
        var spec = PodSpec(pod.Namespace, app, pod.Ports, pod.HostNetwork, token);
        spec["nodeName"] = node.Name;
        spec["tolerations"] = Tolerations();
        return Object("v1", "Pod", metadata, spec, PodStatus(pod, app?.Name ?? "app", created, node.Address, address));
    }

    private WorkloadApp? AppOf(Endpoint pod) => podApps.GetValueOrDefault(pod.Id);

    /// <summary>The app whose template labels the pod carries (app labels are unique within a namespace).</summary>
    private WorkloadApp? FindApp(Endpoint pod)
        => appsByNamespace.TryGetValue(pod.Namespace, out var apps)
            ? apps.FirstOrDefault(a => a.Labels.All(l => pod.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            : null;

    private string ReplicaSetName(WorkloadApp app) => $"{app.Name}-{TemplateHash(app)}";

    private string TemplateHash(WorkloadApp app) => templateHashes.GetValueOrDefault(app.Id) ?? Token($"hash/{app.Id}", 10);

    /// <summary>The controller kubectl shows as the pod's owner: its ReplicaSet for a Deployment, else the app itself.</summary>
    private static string OwnerName(WorkloadApp app, Endpoint pod)
        => app.Kind == "Deployment" && pod.Labels.TryGetValue("pod-template-hash", out var hash) ? $"{app.Name}-{hash}" : app.Name;

    private JsonObject Owner(WorkloadApp app, Endpoint pod)
    {
        var kind = app.Kind == "Deployment" ? "ReplicaSet" : app.Kind;
        var name = OwnerName(app, pod);
        return OwnerReference(kind, name, Uid($"{kind}/{app.Namespace}/{name}"));
    }

    private static JsonObject OwnerReference(string kind, string name, string uid) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["blockOwnerDeletion"] = true,
        ["controller"] = true,
        ["kind"] = kind,
        ["name"] = name,
        ["uid"] = uid,
    };

    private static JsonObject PodSpec(string ns, WorkloadApp? app, IReadOnlyList<ContainerPort> ports, bool hostNetwork, string? token)
    {
        var appName = app?.Name ?? "app";
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(Container(ns, appName, ports, token)),
            ["dnsPolicy"] = hostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst",
            ["enableServiceLinks"] = true,
        };
        if (hostNetwork)
        {
            spec["hostNetwork"] = true;
        }

        spec["preemptionPolicy"] = "PreemptLowerPriority";
        spec["priority"] = 0;
        spec["restartPolicy"] = "Always";
        spec["schedulerName"] = "default-scheduler";
        spec["securityContext"] = new JsonObject();
        spec["serviceAccount"] = "default";
        spec["serviceAccountName"] = "default";
        spec["terminationGracePeriodSeconds"] = 30;
        var volumes = new JsonArray(new JsonObject
        {
            ["configMap"] = new JsonObject { ["defaultMode"] = 420, ["name"] = $"{appName}-config" },
            ["name"] = "config",
        });
        if (token is not null)
        {
            volumes.Add(TokenVolume(token));
        }

        spec["volumes"] = volumes;
        return spec;
    }

    private static JsonObject Container(string ns, string appName, IReadOnlyList<ContainerPort> ports, string? token)
    {
        var container = new JsonObject
        {
            ["env"] = new JsonArray(
                Env("LOG_LEVEL", "info"),
                new JsonObject
                {
                    ["name"] = "POD_NAMESPACE",
                    ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" } },
                }),
            ["image"] = Image(ns, appName),
            ["imagePullPolicy"] = "IfNotPresent",
            ["name"] = ContainerName,
        };
        if (ports.Count > 0)
        {
            var list = new JsonArray();
            foreach (var port in ports)
            {
                var entry = new JsonObject { ["containerPort"] = port.Port };
                if (port.Name is { } name)
                {
                    entry["name"] = name;
                }

                entry["protocol"] = port.Protocol.Name();
                list.Add(entry);
            }

            container["ports"] = list;
        }

        container["resources"] = new JsonObject
        {
            ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "512Mi" },
            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
        };
        container["terminationMessagePath"] = "/dev/termination-log";
        container["terminationMessagePolicy"] = "File";
        var mounts = new JsonArray(new JsonObject { ["mountPath"] = $"/etc/{appName}", ["name"] = "config", ["readOnly"] = true });
        if (token is not null)
        {
            mounts.Add(new JsonObject { ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount", ["name"] = token, ["readOnly"] = true });
        }

        container["volumeMounts"] = mounts;
        return container;
    }

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static string Image(string ns, string appName) => $"registry.example/{ns}/{appName}:1.4.2";

    private static JsonObject TokenVolume(string token) => new()
    {
        ["name"] = token,
        ["projected"] = new JsonObject
        {
            ["defaultMode"] = 420,
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                        ["name"] = "kube-root-ca.crt",
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                            ["path"] = "namespace",
                        }),
                    },
                }),
        },
    };

    private static JsonArray Tolerations() => new(
        new JsonObject { ["effect"] = "NoExecute", ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["tolerationSeconds"] = 300 },
        new JsonObject { ["effect"] = "NoExecute", ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["tolerationSeconds"] = 300 });

    private JsonObject PodStatus(Endpoint pod, string appName, DateTime created, string hostIp, string? podIp)
    {
        var started = created.AddSeconds(2);
        var status = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", started), Condition("Initialized", created.AddSeconds(1)),
                Condition("Ready", started.AddSeconds(3)), Condition("ContainersReady", started.AddSeconds(3)), Condition("PodScheduled", created)),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["containerID"] = "containerd://" + Hex($"container/{pod.Id}"),
                ["image"] = Image(pod.Namespace, appName),
                ["imageID"] = $"registry.example/{pod.Namespace}/{appName}@sha256:" + Hex($"image/{pod.Namespace}/{appName}"),
                ["lastState"] = new JsonObject(),
                ["name"] = ContainerName,
                ["ready"] = true,
                ["restartCount"] = 0,
                ["started"] = true,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Format(started) } },
            }),
            ["hostIP"] = hostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp }),
            ["phase"] = "Running",
        };
        if (podIp is not null)
        {
            status["podIP"] = podIp;
            var ips = new JsonArray();
            foreach (var address in pod.Addresses)
            {
                ips.Add(new JsonObject { ["ip"] = address.ToString() });
            }

            status["podIPs"] = ips;
        }

        status["qosClass"] = "Burstable";
        status["startTime"] = Format(created);
        return status;
    }

    private static JsonObject Condition(string type, DateTime at) => new()
    {
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = Format(at),
        ["status"] = "True",
        ["type"] = type,
    };

    // ---- managedFields (field sets as the API server records them) ----

    private static JsonObject Managed(string manager, string operation, string apiVersion, DateTime time, string? subresource, JsonObject fields)
    {
        var entry = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = fields,
            ["manager"] = manager,
            ["operation"] = operation,
        };
        if (subresource is not null)
        {
            entry["subresource"] = subresource;
        }

        entry["time"] = Format(time);
        return entry;
    }

    /// <summary>A field set: <c>{".": {}, "f:a": {}, ...}</c>.</summary>
    private static JsonObject Fields(bool dot, params string[] names)
    {
        var set = new JsonObject();
        if (dot)
        {
            set["."] = new JsonObject();
        }

        foreach (var name in names)
        {
            set["f:" + name] = new JsonObject();
        }

        return set;
    }

    private static JsonObject LabelFields(IEnumerable<string> keys) => Fields(true, [.. keys]);

    private static string Key(string json) => "k:" + json;

    private JsonObject PodSpecFields(Endpoint pod, WorkloadApp? app, string token)
    {
        var metadata = new JsonObject { ["f:labels"] = LabelFields(pod.Labels.Keys) };
        if (app is not null)
        {
            metadata["f:generateName"] = new JsonObject();
            metadata["f:ownerReferences"] = new JsonObject
            {
                ["."] = new JsonObject(),
                [Key($"{{\"uid\":\"{Uid($"{(app.Kind == "Deployment" ? "ReplicaSet" : app.Kind)}/{app.Namespace}/{OwnerName(app, pod)}")}\"}}")] = new JsonObject(),
            };
        }

        var spec = ContainerSpecFields(pod.Ports);
        spec["f:volumes"] = new JsonObject
        {
            ["."] = new JsonObject(),
            [Key("{\"name\":\"config\"}")] = Fields(true, "configMap", "name"),
            [Key($"{{\"name\":\"{token}\"}}")] = Fields(true, "name", "projected"),
        };
        return new JsonObject { ["f:metadata"] = metadata, ["f:spec"] = spec };
    }

    private static JsonObject ContainerSpecFields(IReadOnlyList<ContainerPort> ports)
    {
        var container = Fields(true, "image", "imagePullPolicy", "name", "resources", "terminationMessagePath", "terminationMessagePolicy");
        container["f:env"] = new JsonObject
        {
            ["."] = new JsonObject(),
            [Key("{\"name\":\"LOG_LEVEL\"}")] = Fields(true, "name", "value"),
            [Key("{\"name\":\"POD_NAMESPACE\"}")] = Fields(true, "name", "valueFrom"),
        };
        if (ports.Count > 0)
        {
            var portFields = new JsonObject { ["."] = new JsonObject() };
            foreach (var port in ports)
            {
                var key = Key($"{{\"containerPort\":{port.Port.ToString(CultureInfo.InvariantCulture)},\"protocol\":\"{port.Protocol.Name()}\"}}");
                portFields[key] = port.Name is null ? Fields(true, "containerPort", "protocol") : Fields(true, "containerPort", "name", "protocol");
            }

            container["f:ports"] = portFields;
        }

        var spec = Fields(false, "dnsPolicy", "enableServiceLinks", "restartPolicy", "schedulerName", "securityContext", "terminationGracePeriodSeconds");
        spec["f:containers"] = new JsonObject { [Key($"{{\"name\":\"{ContainerName}\"}}")] = container };
        return spec;
    }

    private static JsonObject PodStatusFields(Endpoint pod)
    {
        var conditions = new JsonObject();
        foreach (var type in new[] { "ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready" })
        {
            conditions[Key($"{{\"type\":\"{type}\"}}")] = Fields(true, "lastProbeTime", "lastTransitionTime", "status", "type");
        }

        var status = Fields(false, "containerStatuses", "hostIP", "phase", "podIP", "startTime");
        status["f:conditions"] = conditions;
        status["f:hostIPs"] = new JsonObject();
        var ips = new JsonObject { ["."] = new JsonObject() };
        foreach (var address in pod.Addresses)
        {
            ips[Key($"{{\"ip\":\"{address}\"}}")] = Fields(true, "ip");
        }

        status["f:podIPs"] = ips;
        return new JsonObject { ["f:status"] = status };
    }

    // ---- Namespaces and NetworkPolicies ----

    private JsonObject NamespaceObject(Namespace ns)
    {
        var created = Time($"Namespace/{ns.Name}", 1);
        var metadata = new JsonObject
        {
            ["labels"] = Map(ns.Labels),
            ["managedFields"] = new JsonArray(Managed("kubectl-create", "Update", "v1", created, null,
                new JsonObject { ["f:metadata"] = new JsonObject { ["f:labels"] = LabelFields(ns.Labels.Keys) } })),
            ["name"] = ns.Name,
        };
        Stamp(metadata, $"Namespace/{ns.Name}", created);
        return Object("v1", "Namespace", metadata,
            new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            new JsonObject { ["phase"] = "Active" });
    }

    private JsonObject Policy(NetworkPolicy policy)
    {
        var created = Time($"NetworkPolicy/{policy.Id}", 5);
        var metadata = new JsonObject();
        if (policy.Annotations.Count > 0)
        {
            metadata["annotations"] = Map(policy.Annotations);
        }

        metadata["generation"] = 1;
        if (policy.Labels.Count > 0)
        {
            metadata["labels"] = Map(policy.Labels);
        }

        var specFields = Fields(false, "podSelector", "policyTypes");
        if (!policy.Ingress.IsEmpty)
        {
            specFields["f:ingress"] = new JsonObject();
        }

        if (!policy.Egress.IsEmpty)
        {
            specFields["f:egress"] = new JsonObject();
        }

        metadata["managedFields"] = new JsonArray(Managed("argocd-controller", "Apply", "networking.k8s.io/v1", created, null,
            new JsonObject { ["f:spec"] = specFields }));
        metadata["name"] = policy.Name;
        metadata["namespace"] = policy.Namespace;
        Stamp(metadata, $"NetworkPolicy/{policy.Id}", created);
        return Object("networking.k8s.io/v1", "NetworkPolicy", metadata, PolicySpec(policy), null);
    }

    private static JsonObject PolicySpec(NetworkPolicy policy)
    {
        var spec = new JsonObject();
        if (!policy.Egress.IsEmpty)
        {
            spec["egress"] = Rules(policy.Egress, "to");
        }

        if (!policy.Ingress.IsEmpty)
        {
            spec["ingress"] = Rules(policy.Ingress, "from");
        }

        spec["podSelector"] = Selector(policy.PodSelector);
        // The API server stores the default when policyTypes is absent or empty (S3).
        var types = policy.PolicyTypes is { Length: > 0 } written
            ? written
            : policy.Egress.IsEmpty ? IngressOnly : IngressAndEgress;
        spec["policyTypes"] = new JsonArray([.. types.Select(t => (JsonNode)t)]);
        return spec;
    }

    private static JsonArray Rules(IEnumerable<PolicyRule> rules, string peersKey)
    {
        var list = new JsonArray();
        foreach (var rule in rules)
        {
            var entry = new JsonObject();
            if (!rule.Peers.IsEmpty)
            {
                entry[peersKey] = new JsonArray([.. rule.Peers.Select(p => (JsonNode)Peer(p))]);
            }

            if (!rule.Ports.IsEmpty)
            {
                entry["ports"] = new JsonArray([.. rule.Ports.Select(p => (JsonNode)Port(p))]);
            }

            list.Add(entry);
        }

        return list;
    }

    private static JsonObject Peer(PolicyPeer peer)
    {
        var entry = new JsonObject();
        if (peer.IpBlock is { } block)
        {
            var ipBlock = new JsonObject { ["cidr"] = block.Cidr };
            if (!block.Except.IsEmpty)
            {
                ipBlock["except"] = new JsonArray([.. block.Except.Select(e => (JsonNode)e)]);
            }

            entry["ipBlock"] = ipBlock;
        }

        if (peer.NamespaceSelector is { } ns)
        {
            entry["namespaceSelector"] = Selector(ns);
        }

        if (peer.PodSelector is { } pod)
        {
            entry["podSelector"] = Selector(pod);
        }

        return entry;
    }

    private static JsonObject Port(PolicyPort port)
    {
        var entry = new JsonObject();
        if (port.EndPort is { } end)
        {
            entry["endPort"] = end;
        }

        if (port.Port is { Number: { } number })
        {
            entry["port"] = number;
        }
        else if (port.Port is { Name: { } name })
        {
            entry["port"] = name;
        }

        entry["protocol"] = port.Protocol ?? "TCP"; // defaulted by the API server
        return entry;
    }

    private static JsonObject Selector(LabelSelector selector)
    {
        var entry = new JsonObject();
        if (!selector.MatchExpressions.IsEmpty)
        {
            entry["matchExpressions"] = new JsonArray([.. selector.MatchExpressions.Select(e =>
            {
                var requirement = new JsonObject { ["key"] = e.Key, ["operator"] = e.Operator };
                if (!e.Values.IsEmpty)
                {
                    requirement["values"] = new JsonArray([.. e.Values.Select(v => (JsonNode)v)]);
                }

                return (JsonNode)requirement;
            })]);
        }

        if (selector.MatchLabels.Count > 0)
        {
            entry["matchLabels"] = Map(selector.MatchLabels);
        }

        return entry;
    }

    // ---- Deployments and ReplicaSets ----

    private JsonObject Deployment(WorkloadApp app)
    {
        var created = Time($"Deployment/{app.Id}", 10);
        var metadata = new JsonObject
        {
            ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "1" },
            ["generation"] = 1,
            ["labels"] = Map(app.Labels),
            ["managedFields"] = new JsonArray(
                Managed("argocd-controller", "Apply", "apps/v1", created, null, new JsonObject
                {
                    ["f:metadata"] = new JsonObject { ["f:labels"] = LabelFields(app.Labels.Keys) },
                    ["f:spec"] = Fields(false, "replicas", "selector", "template"),
                }),
                Managed("kube-controller-manager", "Update", "apps/v1", created.AddSeconds(9), "status", new JsonObject
                {
                    ["f:metadata"] = new JsonObject { ["f:annotations"] = Fields(true, "deployment.kubernetes.io/revision") },
                    ["f:status"] = Fields(false, "availableReplicas", "conditions", "observedGeneration", "readyReplicas", "replicas", "updatedReplicas"),
                })),
            ["name"] = app.Name,
            ["namespace"] = app.Namespace,
        };
        Stamp(metadata, $"Deployment/{app.Id}", created);
        var spec = new JsonObject
        {
            ["progressDeadlineSeconds"] = 600,
            ["replicas"] = app.Replicas,
            ["revisionHistoryLimit"] = 10,
            ["selector"] = new JsonObject { ["matchLabels"] = Map(app.Labels) },
            ["strategy"] = new JsonObject
            {
                ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" },
                ["type"] = "RollingUpdate",
            },
            ["template"] = Template(app, app.Labels),
        };
        var status = new JsonObject
        {
            ["availableReplicas"] = app.Replicas,
            ["conditions"] = new JsonArray(
                DeploymentCondition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability.", created.AddSeconds(9)),
                DeploymentCondition("Progressing", "NewReplicaSetAvailable", $"ReplicaSet \"{ReplicaSetName(app)}\" has successfully progressed.", created)),
            ["observedGeneration"] = 1,
            ["readyReplicas"] = app.Replicas,
            ["replicas"] = app.Replicas,
            ["updatedReplicas"] = app.Replicas,
        };
        return Object("apps/v1", "Deployment", metadata, spec, status);
    }

    private static JsonObject DeploymentCondition(string type, string reason, string message, DateTime at) => new()
    {
        ["lastTransitionTime"] = Format(at),
        ["lastUpdateTime"] = Format(at),
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = "True",
        ["type"] = type,
    };

    private JsonObject ReplicaSet(WorkloadApp app)
    {
        var name = ReplicaSetName(app);
        var hash = TemplateHash(app);
        var labels = app.Labels.SetItem("pod-template-hash", hash);
        var created = Time($"Deployment/{app.Id}", 10).AddSeconds(1);
        var replicas = app.Replicas.ToString(CultureInfo.InvariantCulture);
        var metadata = new JsonObject
        {
            ["annotations"] = new JsonObject
            {
                ["deployment.kubernetes.io/desired-replicas"] = replicas,
                ["deployment.kubernetes.io/max-replicas"] = (app.Replicas + Math.Max(1, (app.Replicas + 3) / 4)).ToString(CultureInfo.InvariantCulture),
                ["deployment.kubernetes.io/revision"] = "1",
            },
            ["generation"] = 1,
            ["labels"] = Map(labels),
            ["managedFields"] = new JsonArray(
                Managed("kube-controller-manager", "Update", "apps/v1", created, null, new JsonObject
                {
                    ["f:metadata"] = new JsonObject
                    {
                        ["f:annotations"] = Fields(true, "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deployment.kubernetes.io/revision"),
                        ["f:labels"] = LabelFields(labels.Keys),
                        ["f:ownerReferences"] = new JsonObject
                        {
                            ["."] = new JsonObject(),
                            [Key($"{{\"uid\":\"{Uid($"Deployment/{app.Id}")}\"}}")] = new JsonObject(),
                        },
                    },
                    ["f:spec"] = Fields(false, "replicas", "selector", "template"),
                }),
                Managed("kube-controller-manager", "Update", "apps/v1", created.AddSeconds(8), "status", new JsonObject
                {
                    ["f:status"] = Fields(false, "availableReplicas", "fullyLabeledReplicas", "observedGeneration", "readyReplicas", "replicas"),
                })),
            ["name"] = name,
            ["namespace"] = app.Namespace,
            ["ownerReferences"] = new JsonArray(OwnerReference("Deployment", app.Name, Uid($"Deployment/{app.Id}"))),
        };
        Stamp(metadata, $"ReplicaSet/{app.Namespace}/{name}", created);
        var spec = new JsonObject
        {
            ["replicas"] = app.Replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = Map(labels) },
            ["template"] = Template(app, labels),
        };
        var status = new JsonObject
        {
            ["availableReplicas"] = app.Replicas,
            ["fullyLabeledReplicas"] = app.Replicas,
            ["observedGeneration"] = 1,
            ["readyReplicas"] = app.Replicas,
            ["replicas"] = app.Replicas,
        };
        return Object("apps/v1", "ReplicaSet", metadata, spec, status);
    }

    /// <summary>A pod template as the API server stores it: <c>creationTimestamp: null</c> and the defaulted pod spec.</summary>
    private static JsonObject Template(WorkloadApp app, System.Collections.Immutable.ImmutableSortedDictionary<string, string> labels) => new()
    {
        ["metadata"] = new JsonObject { ["creationTimestamp"] = null, ["labels"] = Map(labels) },
        ["spec"] = PodSpec(app.Namespace, app, app.Ports, app.HostNetwork, null),
    };

    // ---- common parts ----

    private static JsonObject Object(string apiVersion, string kind, JsonObject metadata, JsonObject spec, JsonObject? status)
    {
        var item = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
        if (status is not null)
        {
            item["status"] = status;
        }

        return item;
    }

    /// <summary>creationTimestamp, resourceVersion and uid, in the places kubectl prints them (sorted keys in YAML).</summary>
    private void Stamp(JsonObject metadata, string identity, DateTime created)
    {
        metadata["creationTimestamp"] = Format(created);
        metadata["resourceVersion"] = (resourceVersion += 1 + (long)(Number("rv/" + identity) % 97)).ToString(CultureInfo.InvariantCulture);
        metadata["uid"] = Uid(identity);
    }

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map)
        {
            result[key] = value;
        }

        return result;
    }

    private byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes($"{workload.Seed.ToString(CultureInfo.InvariantCulture)}|{key}"));

    private ulong Number(string key) => BitConverter.ToUInt64(Hash(key), 0);

    private string Hex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>A version-4-shaped UUID derived from the object's identity.</summary>
    private string Uid(string identity)
    {
        var h = Hash("uid/" + identity);
        h[6] = (byte)((h[6] & 0x0F) | 0x40);
        h[8] = (byte)((h[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(h, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private string Token(string key, int length)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var h = Hash(key);
        return new string([.. Enumerable.Range(0, length).Select(i => alphabet[h[i] % alphabet.Length])]);
    }

    /// <summary>A creation time within the 30 days after <see cref="Epoch"/>, later for objects created later (larger <paramref name="order"/>).</summary>
    private DateTime Time(string identity, int order) => Epoch.AddDays(order).AddSeconds(Number("time/" + identity) % 86_400);

    private static string Format(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
