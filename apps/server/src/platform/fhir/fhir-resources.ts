// The few FHIR R4 datatypes and resources the platform builds itself (OperationOutcome, Bundle,
// CapabilityStatement), plus the common datatypes that modules map their records to. Deliberately small:
// each module types the resources it owns.

export type Coding = { system?: string; code?: string; display?: string };
export type CodeableConcept = { coding?: Coding[]; text?: string };
export type Extension = { url: string; valueBoolean?: boolean; valueString?: string; valueCode?: string };
export type Meta = { versionId?: string; lastUpdated?: string; security?: Coding[]; profile?: string[] };
export type Reference = { reference?: string; display?: string };

export type Resource = { resourceType: string; id?: string; meta?: Meta };

type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** http://hl7.org/fhir/ValueSet/issue-type (the codes this server uses). */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'processing'
  | 'not-supported'
  | 'duplicate'
  | 'multiple-matches'
  | 'not-found'
  | 'too-long'
  | 'code-invalid'
  | 'business-rule'
  | 'conflict'
  | 'transient'
  | 'exception'
  | 'throttled'
  | 'informational';

export type OperationOutcomeIssue = {
  severity: IssueSeverity;
  code: IssueType;
  details?: CodeableConcept;
  diagnostics?: string;
  /** FHIRPath of the element at fault, e.g. "Patient.gender". */
  expression?: string[];
};

export type OperationOutcome = Resource & {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
};

export type BundleEntry = {
  fullUrl?: string;
  resource?: Resource;
  search?: { mode: 'match' | 'include' | 'outcome' };
  request?: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string };
  response?: { status: string; etag?: string; lastModified?: string; location?: string };
};

export type Bundle = Resource & {
  resourceType: 'Bundle';
  type: 'searchset' | 'history';
  timestamp?: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: BundleEntry[];
};
