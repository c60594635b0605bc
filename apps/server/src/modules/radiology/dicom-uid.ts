// Pure: DICOM UIDs (PS3.5 9.1) and the PACS viewer link.

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;

/** A DICOM UID: at most 64 characters, numeric components without leading zeros, separated by dots. */
export function isDicomUid(value: string): boolean {
  return value.length <= 64 && UID.test(value);
}

/**
 * A UID made from a UUID under the root 2.25 (PS3.5 B.2: the UUID's 128 bits as one decimal integer), for a
 * study whose modality did not send its own: at most 44 characters, unique without a registered root.
 */
export function uidFromUuid(uuid: string): string {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/**
 * The PACS viewer link of a study from NEWHMS_PACS_VIEWER_URL (a template with {studyUid} and / or {accession},
 * each URL-encoded when filled in). Null when no viewer is configured, or the template needs a UID the study
 * does not have yet.
 */
export function viewerUrlOf(
  template: string | undefined,
  study: { studyInstanceUid: string | null; accession: string },
): string | null {
  if (!template) return null;
  if (template.includes('{studyUid}') && !study.studyInstanceUid) return null;
  return template
    .replaceAll('{studyUid}', encodeURIComponent(study.studyInstanceUid ?? ''))
    .replaceAll('{accession}', encodeURIComponent(study.accession));
}
