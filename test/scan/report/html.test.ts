import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkScore, htmlReport } from "../../../src/scan/report/html.ts";
import type { ScanReport } from "../../../src/scan/report/types.ts";
import { fixtureReport } from "./fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const artifacts = new URL("../../artifacts/", import.meta.url);
// Locally a missing browser skips the browser tests; under CI (.ci/run installs chromium) they must run.
const browserMissing = !existsSync(CHROMIUM) && !process.env.CI;

const HOSTILE = `<script>window.pwned = 1</script><img src="http://203.0.113.9/x.png" onerror="window.pwned = 2"> & "quotes" 'single' {{handlebars}}`;

function hostileReport(): ScanReport {
  const report = fixtureReport();
  report.findings[2]!.message = HOSTILE;
  report.errors[0]!.reason = `</td></tr></table><iframe src="http://203.0.113.9/"></iframe>`;
  report.rules[0]!.title = "<b>bold</b>";
  return report;
}

let browser: Browser | undefined;

/** Renders the page in chromium and reads it back; every request other than the page itself is returned. */
async function render(html: string, name: string) {
  mkdirSync(artifacts, { recursive: true });
  const file = new URL(`${name}.html`, artifacts);
  writeFileSync(file, html);
  const page = await browser!.newPage();
  try {
    const requests: string[] = [];
    page.on("request", (request) => {
      if (request.url() !== file.href) requests.push(request.url());
    });
    await page.goto(file.href, { waitUntil: "load" });
    const read = await page.evaluate(() => {
      const text = (selector: string) => document.querySelector(selector)?.textContent ?? null;
      return {
        score: text("#score"),
        definition: text("#score-definition"),
        counts: ["findings", "critical", "high", "medium", "low", "files", "objects", "input-errors"].map((id) => [id, text(`#count-${id}`)]),
        rows: [...document.querySelectorAll("tr.finding")].map((row) => [...row.querySelectorAll("td")].map((cell) => cell.innerText)),
        rules: [...document.querySelectorAll("#rules tbody tr")].map((row) => [...row.querySelectorAll("td")].map((cell) => cell.innerText)),
        inputErrors: [...document.querySelectorAll("table.input-errors td")].map((cell) => cell.textContent),
        scripts: document.querySelectorAll("script, iframe, img").length,
        pwned: (window as unknown as { pwned?: number }).pwned ?? null,
      };
    });
    await page.screenshot({ path: new URL(`${name}.png`, artifacts).pathname, fullPage: true });
    return { ...read, requests };
  } finally {
    await page.close();
  }
}

describe("html report", () => {
  beforeAll(async () => {
    if (!browserMissing) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("writes the expected page", () => {
    expect(htmlReport(fixtureReport())).toBe(readFileSync(new URL("expected/fixture.html", import.meta.url), "utf8"));
  });

  it("scores the share of checks passed", () => {
    expect(checkScore(fixtureReport())).toEqual({ checks: 5, passed: 2, percent: "40%" });
    expect(checkScore({ ...fixtureReport(), objects: [], findings: [] })).toEqual({ checks: 0, passed: 0, percent: "100%" });
  });

  it("escapes every text from manifests", () => {
    const html = htmlReport(hostileReport());
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<iframe");
    expect(html).not.toContain("<b>bold");
    expect(html).toContain("&lt;script&gt;window.pwned &#x3D; 1&lt;/script&gt;");
  });

  it.skipIf(browserMissing)(
    `renders in chromium: counts, score and finding rows read back from the DOM${browserMissing ? ` (skipped: ${CHROMIUM} is absent; apt-get install chromium)` : ""}`,
    async () => {
      const page = await render(htmlReport(fixtureReport()), "scan-report");
      expect(page.score).toBe("40%");
      expect(page.definition).toBe(
        "Score: the share of checks passed, 2 of 5. A check is one enabled rule evaluated on one object; it fails when it has at least one finding. Objects that no enabled rule matches (1) are counted, not scored.",
      );
      expect(page.counts).toEqual([
        ["findings", "3"],
        ["critical", "1"],
        ["high", "0"],
        ["medium", "1"],
        ["low", "1"],
        ["files", "3"],
        ["objects", "3"],
        ["input-errors", "1"],
      ]);
      expect(page.rows).toEqual([
        ["deploy/web.yaml:22:11", "low", "unknown-field", "prod/Deployment/web", 'Unknown field "imagePullPolice" in Container (did you mean "imagePullPolicy"?)', "spec.template.spec.containers[0].imagePullPolice"],
        ["deploy/web.yaml:24:23", "critical", "privileged-containers", "prod/Deployment/web", 'Container "app" is privileged', "spec.template.spec.containers[0].securityContext.privileged"],
        ["infra/main.tf:9:17", "medium", "wildcard-verbs", "ClusterRole/admin\nkubernetes_cluster_role_v1.admin", 'ClusterRole "admin" grants every verb with "*"', "rules[0].verbs[0]"],
      ]);
      expect(page.rules.map((cells) => [cells[0], cells.slice(2)])).toEqual([
        ["privileged-containers\nContainers must not run privileged", ["1", "1", "1"]],
        ["run-as-non-root\nContainers must be required to run as non-root", ["1", "0", "0"]],
        ['wildcard-verbs\nRoles should not grant every verb with "*"', ["1", "1", "1"]],
        ["unknown-field\nFields must be defined by Kubernetes", ["2", "1", "1"]],
      ]);
      expect(page.inputErrors).toEqual(["deploy/broken.yaml:4:3", "bad indentation of a mapping entry"]);
      expect(page.requests).toEqual([]);
    },
    60_000,
  );

  it.skipIf(browserMissing)(
    `shows hostile text as text in chromium, runs nothing and fetches nothing${browserMissing ? ` (skipped: ${CHROMIUM} is absent; apt-get install chromium)` : ""}`,
    async () => {
      const page = await render(htmlReport(hostileReport()), "scan-report-hostile");
      expect(page.pwned).toBeNull();
      expect(page.scripts).toBe(0);
      expect(page.rows[1]![4]).toBe(HOSTILE);
      expect(page.rules[0]![0]).toBe("privileged-containers\n<b>bold</b>");
      expect(page.inputErrors[1]).toBe(`</td></tr></table><iframe src="http://203.0.113.9/"></iframe>`);
      expect(page.requests).toEqual([]);
    },
    60_000,
  );
});
