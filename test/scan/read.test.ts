// Reading multi-document YAML into ScanObjects: the objects, where each field's key is written,
// notes on skipped documents, and syntax errors as file:line:col. (Lists, helm output, JSON, folders
// and standard input are tested through the CLI in scan.test.ts.)

import { describe, expect, it } from "vitest";
import { readManifests } from "../../src/scan/read.ts";
import { ManifestError } from "../../src/scan/types.ts";

const MANIFEST = `# two objects, an empty document and a list between them
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
    - name: sidecar
      ports:
        - containerPort: 8080
---
---
- not
- an object
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, labels: { "80": port } }
data:
  key: value
`;

describe("readManifests", () => {
  const { objects, notes } = readManifests(MANIFEST, "deploy/web.yaml");
  const [pod, configMap, ...rest] = objects;

  it("returns the Kubernetes objects as plain objects, in order, and a note for each other document", () => {
    expect(rest).toEqual([]);
    expect(notes).toEqual(["deploy/web.yaml:15:1: skipped: not a Kubernetes object (no apiVersion and kind)"]);
    expect(pod!.object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web" },
      spec: { containers: [{ name: "web", image: "nginx" }, { name: "sidecar", ports: [{ containerPort: 8080 }] }] },
    });
    expect(configMap!.object.kind).toBe("ConfigMap");
    expect([pod!.file, pod!.unknowns]).toEqual(["deploy/web.yaml", []]);
  });

  it("locates a field by the line and column of its key", () => {
    expect(pod!.locate(["spec", "containers", 1, "ports", 0, "containerPort"])).toEqual({ line: 12, column: 11 });
    expect(pod!.locate(["metadata", "name"])).toEqual({ line: 5, column: 3 });
    expect(configMap!.locate(["data", "key"])).toEqual({ line: 22, column: 3 });
  });

  it("locates a list item by the start of the item, and a flow mapping's key inside its line", () => {
    expect(pod!.locate(["spec", "containers", 1])).toEqual({ line: 10, column: 7 });
    expect(configMap!.locate(["metadata", "labels", "80"])).toEqual({ line: 20, column: 39 });
  });

  it("locates a field not written at its nearest written parent", () => {
    expect(pod!.locate(["spec", "containers", 0, "securityContext", "privileged"])).toEqual({ line: 8, column: 7 });
    expect(pod!.locate(["spec", "containers", 5, "name"])).toEqual({ line: 7, column: 3 });
    expect(pod!.locate(["spec", "hostIPC"])).toEqual({ line: 6, column: 1 });
    expect(pod!.locate(["status"])).toEqual({ line: 2, column: 1 });
    expect(configMap!.locate([])).toEqual({ line: 18, column: 1 });
  });

  it("reads an empty file as no object", () => {
    expect(readManifests("", "empty.yaml")).toEqual({ objects: [], notes: [] });
    expect(readManifests("# only a comment\n", "empty.yaml")).toEqual({ objects: [], notes: [] });
  });

  it("throws one ManifestError naming the file, line and column of a syntax error, in the parser's words", () => {
    const read = () => readManifests("apiVersion: v1\nkind: Pod\n---\nmetadata:\n  name: a\n  name: b\n", "bad.yaml");
    expect(read).toThrow(ManifestError);
    expect(read).toThrow("bad.yaml:6:3: Map keys must be unique");
  });
});
