import { describe, expect, it } from 'vitest';
import type { ModuleDefinition } from '../module';
import type { FhirResourceProvider } from './resource-providers';
import { providedCapability, providedTypesOf } from './shared-resources';

// The startup checks of provided types and their one entry in the CapabilityStatement.

function provider(overrides: Partial<FhirResourceProvider> = {}): FhirResourceProvider {
  return {
    type: 'Flag',
    label: 'Probe flags',
    permission: 'probe:read',
    capability: {
      documentation: 'flags of the probe.',
      searchParams: [{ name: 'patient', type: 'reference', documentation: 'Patient/<id>' }],
    },
    searchParamNames: ['patient'],
    applies: () => true,
    read: async () => null,
    search: async () => ({ resources: [] }),
    ...overrides,
  };
}

function module(name: string, fhir: Partial<NonNullable<ModuleDefinition['fhir']>>): ModuleDefinition {
  return {
    name,
    permissions: [],
    async plugin() {},
    fhir: { resources: [], async routes() {}, ...fhir },
  };
}

describe('providedTypesOf', () => {
  it('groups the providers of a type in module order', () => {
    const types = providedTypesOf([
      module('a', { providers: [provider()] }),
      module('b', { providers: [provider({ label: 'B flags', permission: 'b:read' })] }),
      module('c', { resources: [{ type: 'Basic', interactions: ['read'], searchParams: [] }] }),
    ]);
    expect(types.map((t) => [t.type, t.providers.map((p) => p.module)])).toEqual([['Flag', ['a', 'b']]]);
  });

  it('refuses a type that is both provided and a plain route, naming the modules', () => {
    expect(() =>
      providedTypesOf([
        module('a', { providers: [provider()] }),
        module('b', { resources: [{ type: 'Flag', interactions: ['read'], searchParams: [] }] }),
      ]),
    ).toThrow(/Flag is served by providers \(a\); module b also registers it as a plain route/);
  });

  it('refuses one plain type registered by two modules', () => {
    const plain = { resources: [{ type: 'Basic', interactions: ['read' as const], searchParams: [] }] };
    expect(() => providedTypesOf([module('a', plain), module('b', plain)])).toThrow(
      /Basic is registered as a plain route by both a and b/,
    );
  });

  it('refuses a provider whose capability lists a parameter it does not understand, or a second one of a module', () => {
    expect(() => providedTypesOf([module('a', { providers: [provider({ searchParamNames: [] })] })])).toThrow(
      /does not understand: patient/,
    );
    expect(() => providedTypesOf([module('a', { providers: [provider(), provider()] })])).toThrow(
      /two FHIR providers of Flag/,
    );
    expect(() => providedTypesOf([module('a', { providers: [provider({ type: 'flag/x' })] })])).toThrow(
      /is no type/,
    );
  });
});

describe('providedCapability', () => {
  it('lists the type once with read and search, the documentation joined and the parameters united', () => {
    const [type] = providedTypesOf([
      module('a', { providers: [provider()] }),
      module('b', {
        providers: [
          provider({
            label: 'B flags',
            permission: 'b:read',
            capability: {
              documentation: 'flags of B.',
              searchParams: [
                { name: 'patient', type: 'reference', documentation: 'B says otherwise' },
                { name: 'code', type: 'token' },
              ],
            },
            searchParamNames: ['patient', 'code'],
          }),
        ],
      }),
    ]);
    const c = providedCapability(type!);
    expect(c.interactions).toEqual(['read', 'search-type']);
    expect(c.searchParams).toEqual([
      { name: 'patient', type: 'reference', documentation: 'Patient/<id>' },
      { name: 'code', type: 'token' },
    ]);
    expect(c.documentation).toContain('Probe flags (a, probe:read): flags of the probe.');
    expect(c.documentation).toContain('B flags (b, b:read): flags of B.');
  });
});
