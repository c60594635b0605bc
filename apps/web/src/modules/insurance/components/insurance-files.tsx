import AttachFile from '@mui/icons-material/AttachFile';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  INSURANCE_DOCUMENT_MAX_BYTES,
  type InsuranceDocument,
  type InsuranceDocumentKind,
  insuranceDocumentContentTypes,
  insuranceDocumentKinds,
} from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatDateTime } from '../../../ui/format';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import {
  type InsuranceFileTarget,
  insuranceFileContentPath,
  useUploadInsuranceFile,
} from '../hooks/use-insurance';
import { documentKindLabels } from '../insurance-labels';

const ACCEPT = insuranceDocumentContentTypes.join(',');

/** 12 kB, 1.4 MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The file's bytes as base64 (without the data: URL prefix). */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** A link per uploaded file that opens it (PDF or image) in a new tab. */
export function InsuranceFileLinks({ files, compact }: { files: InsuranceDocument[]; compact?: boolean }) {
  const open = useOpenPdf();
  if (files.length === 0) {
    return compact ? null : <Typography color="text.secondary">No file uploaded</Typography>;
  }
  const link = (f: InsuranceDocument) => (
    <Link
      component="button"
      type="button"
      onClick={() =>
        open.mutate({ path: insuranceFileContentPath(f.id), filename: f.name, accept: f.contentType })
      }
      aria-label={`Open ${f.name} (${documentKindLabels[f.kind]})`}
      sx={{ textAlign: 'left' }}
    >
      {f.name}
    </Link>
  );
  return (
    <>
      <ProblemAlert error={open.error} sx={{ mb: 1 }} />
      {compact ? (
        <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start' }}>
          {files.map((f) => (
            <span key={f.id}>{link(f)}</span>
          ))}
        </Box>
      ) : (
        <List dense disablePadding aria-label="Uploaded files">
          {files.map((f) => (
            <ListItem key={f.id} disableGutters>
              <ListItemText
                primary={link(f)}
                secondary={`${documentKindLabels[f.kind]} · ${formatFileSize(f.sizeBytes)} · ${f.uploadedBy}, ${formatDateTime(f.uploadedAt)}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}

type UploadProps = {
  open: boolean;
  target: InsuranceFileTarget;
  targetId: string;
  /** What the file is for, in the dialog's text: "policy 12345", "pre-authorization PA/2026-27/00001". */
  subject: string;
  defaultKind?: InsuranceDocumentKind;
  onClose: () => void;
};

/** Picks a file (PDF, JPEG or PNG, at most 5 MB), names and classifies it, and uploads it. */
export function UploadFileDialog(props: UploadProps) {
  const titleId = useId();
  const upload = useUploadInsuranceFile();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<InsuranceDocumentKind>(props.defaultKind ?? 'other');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { reset } = upload;
  useEffect(() => {
    if (!props.open) return;
    setFile(null);
    setName('');
    setKind(props.defaultKind ?? 'other');
    setErrors({});
    reset();
  }, [props.open, props.defaultKind, reset]);

  const pick = (f: File | null) => {
    setFile(f);
    if (f && name.trim() === '') setName(f.name.slice(0, 200));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!file) next.file = 'Choose a file';
    else if (file.size > INSURANCE_DOCUMENT_MAX_BYTES) next.file = 'At most 5 MB';
    else if (file.size === 0) next.file = 'The file is empty';
    else if (file.type && !(insuranceDocumentContentTypes as readonly string[]).includes(file.type)) {
      next.file = 'Only PDF, JPEG or PNG files';
    }
    if (name.trim() === '') next.name = 'Name the file';
    setErrors(next);
    if (Object.keys(next).length > 0 || !file) return;
    let data: string;
    try {
      data = await readAsBase64(file);
    } catch {
      setErrors({ file: 'The file could not be read' });
      return;
    }
    const contentType = (insuranceDocumentContentTypes as readonly string[]).includes(file.type)
      ? (file.type as (typeof insuranceDocumentContentTypes)[number])
      : undefined;
    upload.mutate(
      {
        target: props.target,
        id: props.targetId,
        body: { name: name.trim(), kind, data, ...(contentType ? { contentType } : {}) },
      },
      { onSuccess: () => props.onClose() },
    );
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Upload a file</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            For {props.subject}: a PDF, JPEG or PNG of at most 5 MB. Uploaded files are kept for good.
          </DialogContentText>
          <Stack spacing={2}>
            <Box>
              <Button component="label" variant="outlined" startIcon={<AttachFile />}>
                Choose file
                <input
                  hidden
                  type="file"
                  accept={ACCEPT}
                  aria-label="File"
                  data-testid="insurance-file-input"
                  onChange={(e) => pick(e.target.files?.[0] ?? null)}
                />
              </Button>
              <Typography
                variant="body2"
                color={errors.file ? 'error' : 'text.secondary'}
                sx={{ mt: 1 }}
                role={errors.file ? 'alert' : undefined}
              >
                {errors.file ?? (file ? `${file.name} · ${formatFileSize(file.size)}` : 'No file chosen')}
              </Typography>
            </Box>
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              error={!!errors.name}
              helperText={errors.name}
              slotProps={{ htmlInput: { maxLength: 200 } }}
            />
            <TextField
              select
              label="Kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as InsuranceDocumentKind)}
            >
              {insuranceDocumentKinds.map((k) => (
                <MenuItem key={k} value={k}>
                  {documentKindLabels[k]}
                </MenuItem>
              ))}
            </TextField>
            <ProblemAlert error={upload.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={upload.isPending}>
            {upload.isPending ? 'Uploading…' : 'Upload'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** A record's files with an upload button: for the pre-authorization and claim pages. */
export function InsuranceFilesSection(props: {
  target: InsuranceFileTarget;
  targetId: string;
  subject: string;
  files: InsuranceDocument[];
  canUpload: boolean;
  defaultKind?: InsuranceDocumentKind;
}) {
  const [uploading, setUploading] = useState(false);
  return (
    <Box data-testid="insurance-files">
      <InsuranceFileLinks files={props.files} />
      {props.canUpload && (
        <>
          <Button variant="outlined" sx={{ mt: 1 }} onClick={() => setUploading(true)}>
            Upload file
          </Button>
          <UploadFileDialog
            open={uploading}
            target={props.target}
            targetId={props.targetId}
            subject={props.subject}
            defaultKind={props.defaultKind}
            onClose={() => setUploading(false)}
          />
        </>
      )}
    </Box>
  );
}
