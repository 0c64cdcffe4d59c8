// Terraform input: each resource family maps onto the object the provider creates, with the
// position of every written field, and values known only at apply time kept out of the object.

import { describe, expect, it } from "vitest";
import { RESOURCE_MAPPINGS, restsOnUnknown, terraformScanObjects } from "../../src/terraform/index.ts";

const scanTf = (text: string) => terraformScanObjects(text, "main.tf", "tf");
const only = (text: string) => {
  const scan = scanTf(text);
  expect(scan.errors).toEqual([]);
  expect(scan.objects).toHaveLength(1);
  return scan.objects[0]!;
};

describe("workloads", () => {
  it("maps a deployment's pod template, containers and security context", () => {
    const object = only(`
resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
    labels    = { app = "web", "app.kubernetes.io/part-of" = "shop" }
  }
  spec {
    replicas = "3"
    selector {
      match_labels = { app = "web" }
    }
    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge = "25%"
        max_unavailable = "1"
      }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        host_ipc = true
        host_pid = false
        security_context {
          run_as_non_root = true
          fs_group        = "2000"
          seccomp_profile {
            type = "RuntimeDefault"
          }
          sysctl {
            name  = "net.ipv4.ip_forward"
            value = "1"
          }
          windows_options {
            run_as_username = "ContainerUser"
          }
        }
        init_container {
          name  = "init"
          image = "busybox:1.36"
        }
        container {
          name  = "app"
          image = "registry.example.com/web:1.2"
          port {
            container_port = 8080
            host_port      = 80
            host_ip        = "0.0.0.0"
          }
          env {
            name = "TOKEN"
            value_from {
              secret_key_ref {
                name = "web"
                key  = "token"
              }
            }
          }
          resources {
            limits   = { cpu = "500m", memory = "256Mi" }
            requests = { cpu = "100m" }
          }
          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_user                = 1000
            capabilities {
              add  = ["NET_BIND_SERVICE"]
              drop = ["ALL"]
            }
          }
          liveness_probe {
            http_get {
              path = "/healthz"
              port = "8080"
              http_header {
                name  = "X-Probe"
                value = "1"
              }
            }
            period_seconds = 5
          }
          volume_mount {
            name       = "data"
            mount_path = "/data"
          }
        }
        volume {
          name = "data"
          host_path {
            path = "/var/data"
          }
        }
      }
    }
  }
  wait_for_rollout = false
}`);
    expect(object.object).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "shop", labels: { app: "web", "app.kubernetes.io/part-of": "shop" } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "web" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            hostIPC: true,
            hostPID: false,
            automountServiceAccountToken: true,
            securityContext: {
              runAsNonRoot: true,
              fsGroup: 2000,
              seccompProfile: { type: "RuntimeDefault" },
              sysctls: [{ name: "net.ipv4.ip_forward", value: "1" }],
              windowsOptions: { runAsUserName: "ContainerUser" },
            },
            initContainers: [{ name: "init", image: "busybox:1.36" }],
            containers: [
              {
                name: "app",
                image: "registry.example.com/web:1.2",
                ports: [{ containerPort: 8080, hostPort: 80, hostIP: "0.0.0.0" }],
                env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "web", key: "token" } } }],
                resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m" } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsUser: 1000,
                  capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
                },
                livenessProbe: { httpGet: { path: "/healthz", port: 8080, httpHeaders: [{ name: "X-Probe", value: "1" }] }, periodSeconds: 5 },
                volumeMounts: [{ name: "data", mountPath: "/data" }],
              },
            ],
            volumes: [{ name: "data", hostPath: { path: "/var/data" } }],
          },
        },
      },
    });
    expect(object.terraformAddress).toBe("kubernetes_deployment_v1.web");
    expect(object.unknowns).toEqual([]);
  });

  // Every resource type mapped, with the object the provider creates for it.
  const TYPES: Array<[string, string, string]> = [
    ["kubernetes_pod", "v1", "Pod"],
    ["kubernetes_pod_v1", "v1", "Pod"],
    ["kubernetes_deployment", "apps/v1", "Deployment"],
    ["kubernetes_deployment_v1", "apps/v1", "Deployment"],
    ["kubernetes_stateful_set", "apps/v1", "StatefulSet"],
    ["kubernetes_stateful_set_v1", "apps/v1", "StatefulSet"],
    ["kubernetes_daemonset", "apps/v1", "DaemonSet"],
    ["kubernetes_daemon_set_v1", "apps/v1", "DaemonSet"],
    ["kubernetes_replication_controller", "v1", "ReplicationController"],
    ["kubernetes_replication_controller_v1", "v1", "ReplicationController"],
    ["kubernetes_job", "batch/v1", "Job"],
    ["kubernetes_job_v1", "batch/v1", "Job"],
    ["kubernetes_cron_job", "batch/v1beta1", "CronJob"],
    ["kubernetes_cron_job_v1", "batch/v1", "CronJob"],
    ["kubernetes_pod_security_policy", "policy/v1beta1", "PodSecurityPolicy"],
    ["kubernetes_pod_security_policy_v1beta1", "policy/v1beta1", "PodSecurityPolicy"],
    ["kubernetes_role", "rbac.authorization.k8s.io/v1", "Role"],
    ["kubernetes_role_v1", "rbac.authorization.k8s.io/v1", "Role"],
    ["kubernetes_cluster_role", "rbac.authorization.k8s.io/v1", "ClusterRole"],
    ["kubernetes_cluster_role_v1", "rbac.authorization.k8s.io/v1", "ClusterRole"],
    ["kubernetes_role_binding", "rbac.authorization.k8s.io/v1", "RoleBinding"],
    ["kubernetes_role_binding_v1", "rbac.authorization.k8s.io/v1", "RoleBinding"],
    ["kubernetes_cluster_role_binding", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
    ["kubernetes_cluster_role_binding_v1", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
    ["kubernetes_service", "v1", "Service"],
    ["kubernetes_service_v1", "v1", "Service"],
    ["kubernetes_ingress", "extensions/v1beta1", "Ingress"],
    ["kubernetes_ingress_v1", "networking.k8s.io/v1", "Ingress"],
  ];
  it.each(TYPES)("%s creates a %s %s", (type, apiVersion, kind) => {
    expect(only(`resource "${type}" "x" {\n  metadata {\n    name = "x"\n  }\n  timeouts {\n    create = "1m"\n  }\n}\n`).object).toEqual({ apiVersion, kind, metadata: { name: "x" } });
  });

  it("maps no resource type that is not listed above", () => {
    expect(Object.keys(RESOURCE_MAPPINGS).sort()).toEqual(TYPES.map(([type]) => type).sort());
  });

  it("maps a stateful set's volume claim templates and update strategy", () => {
    const statefulSet = only(`
resource "kubernetes_stateful_set_v1" "db" {
  metadata { name = "db" }
  spec {
    replicas     = 1
    service_name = "db"
    update_strategy {
      type = "RollingUpdate"
      rolling_update {
        partition = 0
      }
    }
    volume_claim_template {
      metadata { name = "data" }
      spec {
        access_modes = ["ReadWriteOnce"]
        resources {
          requests = { storage = "1Gi" }
        }
      }
    }
  }
}`);
    expect(statefulSet.object.spec).toEqual({
      replicas: 1,
      serviceName: "db",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    });
  });

  it("fills in what the provider sends for attributes a written block leaves out, located at the block", () => {
    const pod = only(`resource "kubernetes_pod_v1" "p" {
  spec {
    container {
      name = "app"
      security_context {
        seccomp_profile {}
      }
    }
  }
}
`);
    expect(pod.object.spec).toEqual({
      automountServiceAccountToken: true,
      containers: [{ name: "app", securityContext: { allowPrivilegeEscalation: true, seccompProfile: { type: "Unconfined" } } }],
    });
    expect(pod.locate(["spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"])).toEqual({ line: 5, column: 7 });
    expect(pod.locate(["spec", "automountServiceAccountToken"])).toEqual({ line: 2, column: 3 });
  });

  it("maps a cron job's job template, and a daemon set's strategy to updateStrategy", () => {
    const cron = only(`
resource "kubernetes_cron_job_v1" "backup" {
  metadata { name = "backup" }
  spec {
    schedule = "0 3 * * *"
    job_template {
      metadata {}
      spec {
        backoff_limit = 2
        template {
          metadata {}
          spec {
            container {
              name  = "backup"
              image = "backup:2"
            }
          }
        }
      }
    }
  }
}`);
    expect(cron.object.spec).toEqual({
      schedule: "0 3 * * *",
      jobTemplate: {
        metadata: {},
        spec: { backoffLimit: 2, template: { metadata: {}, spec: { automountServiceAccountToken: true, containers: [{ name: "backup", image: "backup:2" }] } } },
      },
    });
    const daemonSet = only(`
resource "kubernetes_daemon_set_v1" "agent" {
  metadata { name = "agent" }
  spec {
    strategy {
      type = "RollingUpdate"
    }
  }
}`);
    expect(daemonSet.object.spec).toEqual({ updateStrategy: { type: "RollingUpdate" } });
  });
});

describe("policy, RBAC, network resources", () => {
  it("maps a PodSecurityPolicy's strategies, ranges and host ports", () => {
    const psp = only(`
resource "kubernetes_pod_security_policy" "restricted" {
  metadata { name = "restricted" }
  spec {
    host_ipc = true
    host_pid = false
    volumes  = ["configMap", "secret"]
    allowed_capabilities = ["NET_ADMIN"]
    host_ports {
      min = 80
      max = 443
    }
    allowed_host_paths {
      path_prefix = "/var/log"
      read_only   = true
    }
    run_as_user {
      rule = "MustRunAs"
      range {
        min = 1000
        max = 2000
      }
    }
    se_linux {
      rule = "RunAsAny"
    }
  }
}`);
    expect(psp.object.spec).toEqual({
      hostIPC: true,
      hostPID: false,
      volumes: ["configMap", "secret"],
      allowedCapabilities: ["NET_ADMIN"],
      hostPorts: [{ min: 80, max: 443 }],
      allowedHostPaths: [{ pathPrefix: "/var/log", readOnly: true }],
      runAsUser: { rule: "MustRunAs", ranges: [{ min: 1000, max: 2000 }] },
      seLinux: { rule: "RunAsAny" },
    });
  });

  it("maps RBAC rules, role references and subjects", () => {
    const role = only(`
resource "kubernetes_cluster_role_v1" "reader" {
  metadata { name = "reader" }
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["get", "list"]
  }
  rule {
    non_resource_urls = ["/healthz"]
    verbs             = ["get"]
  }
}`);
    expect(role.object).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "reader" },
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
        { nonResourceURLs: ["/healthz"], verbs: ["get"] },
      ],
    });
    const binding = only(`
resource "kubernetes_role_binding" "read" {
  metadata {
    name      = "read"
    namespace = "shop"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "reader"
  }
  subject {
    kind      = "Group"
    name      = "system:anonymous"
    api_group = "rbac.authorization.k8s.io"
  }
}`);
    expect(binding.object).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "read", namespace: "shop" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "reader" },
      subjects: [{ kind: "Group", name: "system:anonymous", apiGroup: "rbac.authorization.k8s.io" }],
    });
  });

  it("maps a service's ports and IP fields, and an ingress's rules and TLS", () => {
    const service = only(`
resource "kubernetes_service_v1" "web" {
  metadata { name = "web" }
  spec {
    type         = "NodePort"
    external_ips = ["203.0.113.7"]
    cluster_ip   = "None"
    selector     = { app = "web" }
    port {
      port        = 80
      target_port = "8080"
      node_port   = 30080
    }
  }
}`);
    expect(service.object.spec).toEqual({
      type: "NodePort",
      externalIPs: ["203.0.113.7"],
      clusterIP: "None",
      selector: { app: "web" },
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }],
    });
    const ingress = only(`
resource "kubernetes_ingress_v1" "web" {
  metadata { name = "web" }
  spec {
    ingress_class_name = "nginx"
    rule {
      host = "shop.example.com"
      http {
        path {
          path      = "/"
          path_type = "Prefix"
          backend {
            service {
              name = "web"
              port {
                number = 80
              }
            }
          }
        }
      }
    }
    tls {
      hosts       = ["shop.example.com"]
      secret_name = "shop-tls"
    }
  }
}`);
    expect(ingress.object.spec).toEqual({
      ingressClassName: "nginx",
      rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }],
      tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }],
    });
  });

  it("takes a kubernetes_manifest's manifest as the object itself", () => {
    const object = only(`
resource "kubernetes_manifest" "pod" {
  manifest = {
    apiVersion = "v1"
    kind       = "Pod"
    metadata   = { name = "debug" }
    spec = {
      hostPID    = true
      containers = [{ name = "shell", image = "busybox:1.36", securityContext = { procMount = "Unmasked" } }]
    }
  }
}`);
    expect(object.object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "debug" },
      spec: { hostPID: true, containers: [{ name: "shell", image: "busybox:1.36", securityContext: { procMount: "Unmasked" } }] },
    });
    expect(object.locate(["spec", "containers", 0, "securityContext", "procMount"])).toEqual({ line: 9, column: 83 });
  });
});

describe("positions", () => {
  const object = only(`resource "kubernetes_pod_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    host_pid = true
    container {
      name  = "app"
      image = "app:1"
    }
    container {
      name  = "sidecar"
      image = "proxy:2"
      security_context {
        privileged = true
      }
    }
  }
}
`);

  it("locates an attribute where it is written", () => {
    expect(object.locate(["spec", "hostPID"])).toEqual({ line: 6, column: 5 });
    expect(object.locate(["spec", "containers", 1, "securityContext", "privileged"])).toEqual({ line: 15, column: 9 });
    expect(object.locate(["metadata", "name"])).toEqual({ line: 3, column: 5 });
  });

  it("locates a missing attribute at the nearest block that is written", () => {
    expect(object.locate(["spec", "containers", 0, "securityContext", "runAsNonRoot"])).toEqual({ line: 7, column: 5 });
    expect(object.locate(["spec", "containers", 1, "resources", "limits", "cpu"])).toEqual({ line: 11, column: 5 });
    expect(object.locate(["spec", "securityContext"])).toEqual({ line: 5, column: 3 });
    expect(object.locate(["status"])).toEqual({ line: 1, column: 1 });
  });
});

describe("values known only at apply time", () => {
  const scan = scanTf(`variable "image" {}
locals { tag = "1.2" }
resource "kubernetes_pod_v1" "web" {
  count = 2
  metadata {
    name   = "web-\${count.index}"
    labels = { app = "web", team = var.team }
  }
  spec {
    host_network = var.host_network
    container {
      name    = "app"
      image   = "app:\${local.tag}"
      command = ["run", lower(var.mode)]
      args    = ["$\${HOME}", "plain\\n\\"quoted\\""]
      security_context {
        privileged = var.debug ? true : false
      }
    }
    dynamic "volume" {
      for_each = var.volumes
      content {
        name = volume.value
      }
    }
  }
}
`);
  const object = scan.objects[0]!;

  it("leaves unknown values out of the object and records their fields", () => {
    expect(object.object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { labels: { app: "web" } },
      spec: {
        automountServiceAccountToken: true,
        containers: [{ name: "app", args: ["${HOME}", 'plain\n"quoted"'], securityContext: { allowPrivilegeEscalation: true } }],
      },
    });
    expect(object.unknowns).toEqual([
      ["metadata", "name"],
      ["metadata", "labels", "team"],
      ["spec", "hostNetwork"],
      ["spec", "containers", 0, "image"],
      ["spec", "containers", 0, "command"],
      ["spec", "containers", 0, "securityContext", "privileged"],
      ["spec", "volumes"],
    ]);
  });

  it("notes each unknown value where it is written, and that count instances are checked once", () => {
    expect(scan.notes).toEqual([
      "main.tf:4:3: kubernetes_pod_v1.web has count: its instances are checked once, as written",
      "main.tf:6:14: kubernetes_pod_v1.web: metadata.name is known only at apply time (a string template): no finding rests on it",
      "main.tf:7:36: kubernetes_pod_v1.web: metadata.labels.team is known only at apply time (a variable (var.team)): no finding rests on it",
      "main.tf:10:20: kubernetes_pod_v1.web: spec.hostNetwork is known only at apply time (a variable (var.host_network)): no finding rests on it",
      "main.tf:13:17: kubernetes_pod_v1.web: spec.containers[0].image is known only at apply time (a string template): no finding rests on it",
      "main.tf:14:25: kubernetes_pod_v1.web: spec.containers[0].command is known only at apply time (a function call (lower(var.mode))): no finding rests on it",
      "main.tf:17:22: kubernetes_pod_v1.web: spec.containers[0].securityContext.privileged is known only at apply time (an expression (var.debug ? true : false)): no finding rests on it",
      "main.tf:20:5: kubernetes_pod_v1.web: spec.volumes is known only at apply time (a dynamic block): no finding rests on it",
    ]);
  });

  it("drops a finding on an unknown field, inside one, or on a parent of one", () => {
    expect(restsOnUnknown(["spec", "hostNetwork"], object.unknowns)).toBe(true);
    expect(restsOnUnknown(["spec", "volumes", 0, "hostPath"], object.unknowns)).toBe(true);
    expect(restsOnUnknown(["spec", "containers", 0, "securityContext"], object.unknowns)).toBe(true);
    expect(restsOnUnknown(["spec", "containers", 0, "securityContext", "runAsNonRoot"], object.unknowns)).toBe(false);
    expect(restsOnUnknown(["spec", "hostPID"], object.unknowns)).toBe(false);
    expect(restsOnUnknown(["spec", "containers", 1], object.unknowns)).toBe(false);
  });
});

describe("large files", () => {
  it("reads every resource of a file of many resources", () => {
    const text = Array.from({ length: 400 }, (_, i) => `resource "kubernetes_pod_v1" "p${i}" {\n  metadata {\n    name = "p${i}"\n  }\n}\n`).join("");
    const scan = scanTf(text);
    expect(scan.objects).toHaveLength(400);
    expect(scan.objects[399]!.locate(["metadata", "name"])).toEqual({ line: 1998, column: 5 });
  });
});

describe("resources not checked, and bad input", () => {
  it("notes a kubernetes_* type it does not map, and skips other providers' resources", () => {
    const scan = scanTf(`resource "kubernetes_config_map_v1" "c" {\n  metadata { name = "c" }\n}\nresource "aws_instance" "a" {}\n`);
    expect(scan.objects).toEqual([]);
    expect(scan.notes).toEqual(["main.tf:1:1: kubernetes_config_map_v1.c: kubernetes_config_map_v1 is not a resource type policypack maps to a Kubernetes object: not checked"]);
  });

  it("notes a manifest known only at apply time", () => {
    const scan = scanTf(`resource "kubernetes_manifest" "m" {\n  manifest = yamldecode(file("pod.yaml"))\n}\n`);
    expect(scan.objects).toEqual([]);
    expect(scan.notes).toEqual(['main.tf:1:1: kubernetes_manifest.m: its manifest is known only at apply time (a function call (yamldecode(file("pod.yaml")))): not checked']);
  });

  it("names file:line:col of an HCL syntax error", () => {
    const scan = scanTf(`resource "kubernetes_pod_v1" "p" {\n  metadata {\n    name = \n  }\n}\n`);
    expect(scan.objects).toEqual([]);
    expect(scan.errors.map((e) => e.message)).toEqual(['main.tf:3:5: not valid HCL: unexpected "name ="']);
  });

  it.each([
    ['resource "kubernetes_pod_v1" "p" {\n  spec { host_pid = tru e }\n}\n', 'main.tf:2:25: not valid HCL: unexpected "e"'],
    ['resource "kubernetes_pod_v1" "p" {\n  metadata {\n    name = "p"\n', 'main.tf:4:1: not valid HCL: "}" is missing'],
    ['resource "kubernetes_pod_v1" "p" {\n  spec {\n    args = ["a", "b"\n  }\n}\n', 'main.tf:4:3: not valid HCL: "]" is missing'],
  ])("names where the HCL goes wrong: %j", (text, message) => {
    expect(scanTf(text).errors.map((e) => e.message)).toEqual([message]);
  });
});
