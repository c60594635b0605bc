import { tokenParamAllows } from '../../../platform/fhir/fhir-search';
import type { FhirResourceProvider } from '../../../platform/fhir/resource-providers';
import { readObservationResource, searchObservationResources } from './clinical-fhir.service';
import { observationSearchParams } from './clinical-search';
import { OBSERVATION_CATEGORY, observationCategories } from './fhir-systems';
import type { FhirObservation } from './observation-resource';

/** The categories of the clinical record's observations; laboratory results are the laboratory module's. */
const ENCOUNTER_CATEGORIES = observationCategories.filter((c) => c !== 'laboratory');

/**
 * The encounters' share of /fhir/R4/Observation: vital signs (and the other observations of the clinical
 * record), with encounters:read. Skipped by a search whose category names none of its categories.
 */
export const vitalSignsObservationProvider: FhirResourceProvider<FhirObservation> = {
  type: 'Observation',
  label: 'Vital signs',
  permission: 'encounters:read',
  capability: {
    documentation:
      'the FHIR vital signs profiles (LOINC codes, UCUM units). Blood pressure is one panel 85354-9 with ' +
      'systolic 8480-6 and diastolic 8462-4 components; it carries the id of the systolic reading. A search ' +
      'needs patient, subject, encounter or _id.',
    searchParams: observationSearchParams,
  },
  searchParamNames: observationSearchParams.map((p) => p.name),
  applies: (query) => tokenParamAllows(query, 'category', OBSERVATION_CATEGORY, ENCOUNTER_CATEGORIES),
  read: readObservationResource,
  search: searchObservationResources,
};
