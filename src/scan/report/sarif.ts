// SARIF 2.1.0 for code-scanning tools (GitHub code scanning among them): one reportingDescriptor
// per enabled check, one result per finding, input errors as tool execution notifications. A
// finding on an object a Terraform resource creates names the resource as a logical location
// (kind "resource"), beside the file and region of its attribute.

import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";
import type { Result } from "sarif";
import type { Severity } from "../../model/rule.ts";
import { type ScanReport, resourceName, sortedFindings } from "./types.ts";

/**
 * GitHub reads `security-severity` as a CVSS-like score: over 9.0 critical, 7.0 to 8.9 high,
 * 4.0 to 6.9 medium, 3.9 or less low. Each value sits inside its band, away from the edges.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0" };

const LEVEL: Record<Severity, Result.level> = { critical: "error", high: "error", medium: "warning", low: "note" };

/** A report path as a SARIF URI: relative paths stay relative (to the checkout), absolute ones become file: URIs. */
function artifactUri(file: string): string {
  return isAbsolute(file) ? pathToFileURL(file).href : file.split("/").map(encodeURIComponent).join("/");
}

export function sarifReport(report: ScanReport): string {
  const run = new SarifRunBuilder().initSimple({ toolDriverName: "policypack", toolDriverVersion: report.toolVersion });
  for (const descriptor of report.rules) {
    const rule = new SarifRuleBuilder().initSimple({
      ruleId: descriptor.id,
      shortDescriptionText: descriptor.title,
      fullDescriptionText: descriptor.description,
      ...(descriptor.helpUri === undefined ? {} : { helpUri: descriptor.helpUri }),
    });
    rule.rule.name = descriptor.title;
    rule.rule.help = { text: descriptor.help };
    rule.rule.defaultConfiguration = { level: LEVEL[descriptor.severity] };
    rule.rule.properties = { tags: descriptor.tags, "security-severity": SECURITY_SEVERITY[descriptor.severity] };
    run.addRule(rule);
  }
  for (const finding of sortedFindings(report)) {
    const result = new SarifResultBuilder();
    result.setRuleId(finding.ruleId);
    result.setLevel(LEVEL[finding.severity]);
    result.setMessageText(finding.message);
    result.setLocationArtifactUri({ uri: artifactUri(finding.location.file) });
    result.setLocationRegion({ startLine: finding.location.line, startColumn: finding.location.column });
    if (finding.terraformAddress !== undefined) {
      result.result.locations![0]!.logicalLocations = [{ name: finding.terraformAddress, fullyQualifiedName: finding.terraformAddress, kind: "resource" }];
    }
    result.result.properties = {
      resource: resourceName(finding.resource),
      path: finding.path,
      ...(finding.terraformAddress === undefined ? {} : { terraformAddress: finding.terraformAddress }),
    };
    run.addResult(result);
  }
  run.run.invocations = [
    {
      executionSuccessful: report.errors.length === 0,
      toolExecutionNotifications: report.errors.map((error) => ({
        level: "error",
        message: { text: error.reason },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(error.file) },
              region: { startLine: error.line, startColumn: error.column },
            },
          },
        ],
      })),
    },
  ];
  const log = new SarifBuilder();
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true }) + "\n";
}
