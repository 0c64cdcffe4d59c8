// `policypack scan` over a generated corpus of 10,000 manifests (Deployments, Pods, CronJobs,
// Services, RBAC; about 30% with violations; four documents per file, in nested folders), with the
// rules and settings of policypack.config.yaml:
// - the floor (baseline): reading and parsing every file with source positions, in process, with
//   the scan's own reader (src/scan/read.ts);
// - `policypack scan --format json` of the corpus, run as a child process through bin/policypack.js
//   as a user runs it (startup, rule loading, pack generation and compilation included), its
//   peak RSS read by /usr/bin/time when present; and the same command on an empty folder, the fixed
//   cost of a run.
// A second section: checking each object of the corpus with the pack against the reference
// evaluator, per object, in process (engines loaded once, objects parsed beforehand).
//
// Goals (issue 10): the scan within 1.5x the floor, peak RSS under 300 MB.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { loadConfig } from "../src/config/load.ts";
import type { Json } from "../src/model/index.ts";
import { type Engine, loadEngine } from "../src/scan/evaluate.ts";
import { inputFiles, readManifests } from "../src/scan/read.ts";
import { median, type Row, type Section, time } from "./measure.ts";
import { configuredRules } from "./pack.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MANIFESTS = 10_000;
const DOCUMENTS_PER_FILE = 4;
const FILES_PER_FOLDER = 100;
const RATIO_GOAL = 1.5;
const RSS_GOAL_MB = 300;
/** The scan runs take seconds each: at most this many, whatever --runs says. */
const MAX_SCAN_RUNS = 3;
const TIME_BINARY = "/usr/bin/time";

type Manifest = { [key: string]: Json };

function hardenedContainer(name: string, image: string): Manifest {
  return {
    name,
    image,
    imagePullPolicy: "Always",
    ports: [{ name: "http", containerPort: 8080 }],
    resources: {
      requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "100Mi" },
      limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "200Mi" },
    },
    livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
    readinessProbe: { httpGet: { path: "/ready", port: "http" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
  };
}

/** The slips a violating workload carries, one per violating object, in turn. */
const SLIPS: Array<(pod: { spec: Manifest }, containers: Manifest[]) => void> = [
  (_, [c]) => void (c!.securityContext = { privileged: true }),
  (pod) => void (pod.spec.hostNetwork = true),
  (_, [c]) => void (c!.image = "nginx:latest"),
  (_, [c]) => void delete c!.resources,
  (_, [c]) => void (c!.env = [{ name: "API_TOKEN", value: "s3cr3t" }]),
];

function podTemplate(name: string, violating: number | undefined): { metadata: Manifest; spec: Manifest } {
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": `${name}-prod` };
  const containers = [hardenedContainer("app", `registry.example.com/shop/${name}:1.${name.length}.0`), hardenedContainer("proxy", "registry.example.com/mesh/proxy:1.30.1")];
  const pod = {
    metadata: { labels },
    spec: {
      hostUsers: false,
      automountServiceAccountToken: false,
      priorityClassName: "business",
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }],
      containers,
    } as Manifest,
  };
  if (violating !== undefined) SLIPS[violating % SLIPS.length]!(pod, containers);
  return pod;
}

const objectMetadata = (name: string, i: number) => ({ name, namespace: `team-${i % 17}`, labels: { "app.kubernetes.io/name": name } });

/** Manifest `i` of the corpus: its kind cycles, and 3 in 10 carry a violation. */
function manifest(i: number): Manifest {
  const name = `svc-${i}`;
  const violating = i % 10 < 3 ? Math.floor(i / 10) : undefined;
  switch (i % 6) {
    case 0:
    case 1:
      return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: objectMetadata(name, i),
        spec: { replicas: 3, selector: { matchLabels: { "app.kubernetes.io/name": name } }, template: podTemplate(name, violating) },
      };
    case 2: {
      const pod = podTemplate(name, violating);
      return { apiVersion: "v1", kind: "Pod", metadata: { ...objectMetadata(name, i), labels: pod.metadata.labels! }, spec: pod.spec };
    }
    case 3: {
      const pod = podTemplate(name, violating);
      return {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: objectMetadata(name, i),
        spec: { schedule: "*/15 * * * *", jobTemplate: { spec: { template: { metadata: pod.metadata, spec: { ...pod.spec, restartPolicy: "Never" } } } } },
      };
    }
    case 4:
      return {
        apiVersion: "v1",
        kind: "Service",
        metadata: objectMetadata(name, i),
        spec: { type: violating === undefined ? "ClusterIP" : "NodePort", selector: { "app.kubernetes.io/name": name }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
      };
    default:
      return violating === undefined
        ? { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: objectMetadata(name, i), rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }] }
        : {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ kind: "ServiceAccount", name, namespace: `team-${i % 17}` }],
          };
  }
}

/** Writes the corpus below `dir`: MANIFESTS objects, DOCUMENTS_PER_FILE per file, FILES_PER_FOLDER files per folder. */
function writeCorpus(dir: string): void {
  for (let file = 0; file * DOCUMENTS_PER_FILE < MANIFESTS; file++) {
    const folder = join(dir, `app-${Math.floor(file / FILES_PER_FOLDER)}`);
    if (file % FILES_PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    const documents: string[] = [];
    for (let d = 0; d < DOCUMENTS_PER_FILE && file * DOCUMENTS_PER_FILE + d < MANIFESTS; d++) {
      documents.push(`# Source: corpus/templates/manifest-${d}.yaml\n${stringify(manifest(file * DOCUMENTS_PER_FILE + d))}`);
    }
    writeFileSync(join(folder, `manifests-${file}.yaml`), `---\n${documents.join("---\n")}`);
  }
}

interface Corpus {
  dir: string;
  files: string[];
}

let corpus: Corpus | undefined;

function loadCorpus(): Corpus {
  if (!corpus) {
    const dir = mkdtempSync(join(tmpdir(), "policypack-scan-corpus-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    writeCorpus(dir);
    corpus = { dir, files: inputFiles([dir]) };
  }
  return corpus;
}

/** The floor: every file read and parsed with source positions. Returns the objects' count. */
function parseCorpus({ files }: Corpus): number {
  let objects = 0;
  for (const file of files) objects += readManifests(readFileSync(file, "utf8"), file).objects.length;
  return objects;
}

interface ScanRun {
  ms: number;
  /** User and system CPU time of the scan process, and its peak resident set in MB, when /usr/bin/time could tell. */
  cpuMs: number | undefined;
  peakRssMb: number | undefined;
  stdout: string;
}

/** `policypack scan --format json <path>` as a child process, from the repository (its policypack.config.yaml). */
function scanCommand(path: string): ScanRun {
  const command = [process.execPath, join(ROOT, "bin", "policypack.js"), "scan", "--format", "json", path];
  const withTime = existsSync(TIME_BINARY);
  const start = performance.now();
  const child = spawnSync(withTime ? TIME_BINARY : command[0]!, withTime ? ["-f", "%M %U %S", ...command] : command.slice(1), {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - start;
  if (child.status !== 0 && child.status !== 1) throw new Error(`policypack scan exited ${child.status}: ${child.stderr}`);
  // time -f "%M %U %S" prints the peak RSS in KiB, user and system seconds as the last line of standard error.
  const [kib, user, system] = withTime ? child.stderr.trim().split("\n").at(-1)!.split(" ").map(Number) : [];
  const known = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
  return {
    ms,
    cpuMs: known(user) && known(system) ? (user + system) * 1000 : undefined,
    peakRssMb: known(kib) ? kib / 1024 : undefined,
    stdout: child.stdout,
  };
}

/** Wall and CPU (user + system) ms of one in-process run of `action`. */
function timed(action: () => unknown): { ms: number; cpuMs: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  action();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const medianOf = <T>(runs: T[], value: (run: T) => number | undefined): number | undefined => {
  const values = runs.map(value).filter((v): v is number => v !== undefined);
  return values.length === runs.length ? median(values) : undefined;
};

export const scanSection: Section = {
  title: `Scan (policypack scan --format json of ${MANIFESTS.toLocaleString("en-US")} generated manifests, ${DOCUMENTS_PER_FILE} per file, every rule of policypack.config.yaml)`,
  unit: "ms",
  async run(runs) {
    const scanRuns = Math.min(runs, MAX_SCAN_RUNS);
    const data = loadCorpus();
    const objects = parseCorpus(data);
    const floors = Array.from({ length: scanRuns }, () => timed(() => parseCorpus(data)));
    const emptyDir = mkdtempSync(join(tmpdir(), "policypack-scan-empty-"));
    const empties = Array.from({ length: scanRuns }, () => scanCommand(emptyDir));
    rmSync(emptyDir, { recursive: true });
    const scans = Array.from({ length: scanRuns }, () => scanCommand(data.dir));

    const report = JSON.parse(scans[0]!.stdout) as { findings: Array<{ location: { file: string; line: number } }>; summary: { objects: number; objectsWithoutRules: number } };
    const violating = new Set(report.findings.map((f) => `${f.location.file}:${f.location.line}`)).size;
    const floorName = `floor: read and parse ${data.files.length.toLocaleString("en-US")} files with source positions`;
    const rows: Row[] = [];
    const ratios: string[] = [];
    for (const [measure, value] of [
      ["wall", (r: { ms: number }) => r.ms],
      ["CPU", (r: { cpuMs: number | undefined }) => r.cpuMs],
    ] as const) {
      const floor = medianOf(floors, value);
      const scanValue = medianOf(scans, value);
      const fixed = medianOf(empties, value);
      if (floor === undefined || scanValue === undefined || fixed === undefined) continue;
      const baseline = { name: `${floorName}, ${measure}`, value: floor };
      rows.push(
        { name: baseline.name, value: floor },
        { name: `policypack scan of the corpus (child process), ${measure}`, value: scanValue, baseline },
        { name: `  of which fixed: policypack scan of an empty folder, ${measure}`, value: fixed, baseline },
      );
      const ratio = scanValue / floor;
      ratios.push(`${measure} ${ratio.toFixed(2)}x (${ratio <= RATIO_GOAL ? "met" : "NOT met"}; without the fixed cost ${((scanValue - fixed) / floor).toFixed(2)}x)`);
    }
    const rss = scans.map((s) => s.peakRssMb).filter((mb): mb is number => mb !== undefined);
    const peak = rss.length > 0 ? Math.max(...rss) : undefined;
    return {
      rows,
      notes: [
        `Corpus: ${objects.toLocaleString("en-US")} objects in ${data.files.length.toLocaleString("en-US")} files; the scan checked ${report.summary.objects.toLocaleString("en-US")} (${report.summary.objectsWithoutRules} matched by no enabled rule) and reported ${report.findings.length.toLocaleString("en-US")} findings on ${violating.toLocaleString("en-US")} objects (${((violating / objects) * 100).toFixed(0)}%).`,
        `Runs: median of ${scanRuns}; the floor in this process after a first parse, each scan a fresh process. CPU is user + system time (of the child, from ${TIME_BINARY}), steadier than wall time on a busy machine.`,
        `Goal: scan within ${RATIO_GOAL}x of the floor: ${ratios.join("; ")}.`,
        peak === undefined
          ? `Peak RSS: not measured (${TIME_BINARY} not found; apt-get install time).`
          : `Goal: peak RSS under ${RSS_GOAL_MB} MB: ${peak < RSS_GOAL_MB ? "met" : "NOT met"} (${peak.toFixed(0)} MB, the highest of ${rss.length} runs).`,
      ],
    };
  },
};

/** Every object of the corpus, parsed once. */
function corpusObjects({ files }: Corpus): Manifest[] {
  return files.flatMap((file) => readManifests(readFileSync(file, "utf8"), file).objects.map((o) => o.object));
}

export const scanEngineSection: Section = {
  title: "Scan engines (each object of the scan corpus against every rule, in process; per object)",
  unit: "µs",
  async run(runs) {
    const objects = corpusObjects(loadCorpus());
    const rules = await configuredRules();
    const { config } = loadConfig(join(ROOT, "policypack.config.yaml"));
    const engines: Array<[string, Engine]> = [
      [`reference evaluator, ${rules.length} rules`, await loadEngine("reference", rules, config, { cache: false })],
      ["Gatekeeper pack module (input as JSON bytes)", await loadEngine("pack", rules, config, { cache: false })],
    ];
    const checkAll = (engine: Engine) => () => {
      let violations = 0;
      for (const object of objects) violations += engine.check(object).length;
      return violations;
    };
    const counts = engines.map(([, engine]) => checkAll(engine)());
    const perObject: number[] = [];
    for (const [, engine] of engines) perObject.push(((await time(Math.min(runs, MAX_SCAN_RUNS), checkAll(engine))) * 1000) / objects.length);
    const baseline = { name: engines[0]![0], value: perObject[0]! };
    return {
      rows: engines.map(([name], i) => ({ name, value: perObject[i]!, ...(i > 0 ? { baseline } : {}) })),
      notes: [
        counts.every((c) => c === counts[0])
          ? `Both engines report the same number of violations on the corpus (${counts[0]!.toLocaleString("en-US")}).`
          : `WARNING: the engines report different numbers of violations: ${counts.join(" vs ")}`,
        `Per object: the median time of checking all ${objects.length.toLocaleString("en-US")} objects, divided by their number.`,
      ],
    };
  },
};
