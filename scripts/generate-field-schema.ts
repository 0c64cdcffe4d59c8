// Generates schemas/kubernetes-fields.json, the fields the Kubernetes API
// defines for each built-in kind, from the type declarations of the kubernetes-models package
// (generated upstream from the API's OpenAPI spec, and still carrying removed API versions such as
// policy/v1beta1 PodSecurityPolicy). The TypeScript compiler reads the declarations; only field
// names and their nesting are kept, so the installed CLI needs neither package at run time.
//
//   npm run generate:field-schema                      writes the file
//   test/scan/field-schema.test.ts                     fails when the committed file is stale

import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { FieldSchema, FieldShape, SchemaType } from "../src/scan/field-check/schema.ts";

export const FIELD_SCHEMA_FILE = fileURLToPath(new URL("../schemas/kubernetes-fields.json", import.meta.url));

const require = createRequire(import.meta.url);
const MODELS_PACKAGE = "kubernetes-models";

export function generateFieldSchema(): string {
  const packageJson = require.resolve(`${MODELS_PACKAGE}/package.json`);
  const modelsRoot = dirname(packageJson);
  const { version } = require(packageJson) as { version: string };
  const program = ts.createProgram([`${modelsRoot}/index.d.ts`], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const nodeModules = dirname(modelsRoot);
  const types: Record<string, SchemaType> = {};

  // "kubernetes-models/apps/v1/Deployment.d.ts" -> "apps/v1/Deployment";
  // "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta.d.ts" -> "apimachinery/apis/meta/v1/ObjectMeta".
  function typeId(declaration: ts.Declaration): string {
    const file = relative(nodeModules, declaration.getSourceFile().fileName).split(sep).join("/");
    return file.replace(/^@kubernetes-models\//, "").replace(`${MODELS_PACKAGE}/`, "").replace(/\.d\.ts$/, "");
  }

  function interfaceOf(type: ts.Type): ts.InterfaceDeclaration | undefined {
    return type.getSymbol()?.declarations?.find(ts.isInterfaceDeclaration);
  }

  function shapeOf(type: ts.Type): FieldShape {
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      const objects = members.filter((t) => t.flags & ts.TypeFlags.Object);
      // Scalars and their unions (IntOrString, Quantity, enums) hold no fields.
      return objects.length === 1 && members.length === 1 ? shapeOf(objects[0]!) : 0;
    }
    if (!(type.flags & ts.TypeFlags.Object)) return 0;
    if (checker.isArrayType(type)) return { items: shapeOf(checker.getTypeArguments(type as ts.TypeReference)[0]!) };
    const declaration = interfaceOf(type);
    const properties = checker.getPropertiesOfType(type);
    if (declaration === undefined || properties.length === 0) {
      const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
      // A map (labels, limits, data) checks its values; an object the API leaves open
      // (RawExtension, FieldsV1, JSON) has no declared field and holds anything.
      return index !== undefined && properties.length === 0 ? { values: shapeOf(index.type) } : 0;
    }
    const id = typeId(declaration);
    if (!(id in types)) {
      const schemaType: SchemaType = { name: declaration.name.text.replace(/^I/, ""), fields: {} };
      types[id] = schemaType;
      for (const property of [...properties].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        schemaType.fields[property.name] = shapeOf(checker.getTypeOfSymbol(property));
      }
    }
    return id;
  }

  function literal(type: ts.Type): string | undefined {
    return type.isStringLiteral() ? type.value : undefined;
  }

  const kinds: Record<string, Record<string, string>> = {};
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(`${modelsRoot}/`) || file.fileName.includes("/_schemas/")) continue;
    for (const statement of file.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      const type = checker.getTypeAtLocation(statement);
      const apiVersion = type.getProperty("apiVersion");
      const kind = type.getProperty("kind");
      if (apiVersion === undefined || kind === undefined) continue;
      const apiVersionValue = literal(checker.getTypeOfSymbol(apiVersion));
      const kindValue = literal(checker.getTypeOfSymbol(kind));
      if (apiVersionValue === undefined || kindValue === undefined) continue;
      (kinds[apiVersionValue] ??= {})[kindValue] = shapeOf(type) as string;
    }
  }
  const schema: FieldSchema = { source: `${MODELS_PACKAGE}@${version}`, kinds: sortKeys(kinds), types: {} };
  for (const id of Object.keys(types).sort()) schema.types[id] = types[id]!;
  for (const apiVersion of Object.keys(schema.kinds)) schema.kinds[apiVersion] = sortKeys(schema.kinds[apiVersion]!);
  // One type a line: a regenerated file's diff shows which types changed.
  const typeLines = Object.entries(schema.types).map(([id, type]) => `${JSON.stringify(id)}:${JSON.stringify(type)}`);
  return `{"source":${JSON.stringify(schema.source)},\n"kinds":${JSON.stringify(schema.kinds)},\n"types":{\n${typeLines.join(",\n")}\n}}\n`;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(FIELD_SCHEMA_FILE, generateFieldSchema());
