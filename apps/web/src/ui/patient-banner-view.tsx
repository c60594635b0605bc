import CloseIcon from '@mui/icons-material/Close';
import WarningAmber from '@mui/icons-material/WarningAmber';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Typography from '@mui/material/Typography';

export type BannerAllergy = { substance: string; severity: 'mild' | 'moderate' | 'severe' };
export type BannerAlert = { label: string; text: string; severity: 'info' | 'warning' | 'high' };

/** What the banner needs to identify a patient beyond doubt (two identifiers: name and MRN) and keep them safe. */
export type BannerPatient = {
  id: string;
  mrn: string;
  name: string;
  /** Age as people say it: "34 y", "8 m". */
  age?: string | null;
  sex?: string | null;
  birthDate?: string | null;
  birthDateEstimated?: boolean;
  /** not-recorded: nobody asked yet; none-known: asked, none; recorded: the active allergies are listed. */
  allergyState?: 'not-recorded' | 'none-known' | 'recorded';
  allergies?: BannerAllergy[];
  alerts?: BannerAlert[];
  /** An object URL of the photo, when there is one. */
  photoUrl?: string | null;
  unidentified?: boolean;
  merged?: boolean;
};

const sexLabel: Record<string, string> = {
  male: 'Male',
  female: 'Female',
  other: 'Other',
  unknown: 'Unknown',
};

function initials(name: string): string {
  const parts = name.split(/\s+/).filter((p) => /^[\p{L}]/u.test(p));
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

function AllergyChips({ patient }: { patient: BannerPatient }) {
  const allergies = patient.allergies ?? [];
  if (patient.allergyState === 'recorded' || allergies.length > 0) {
    const text = allergies.map((a) => (a.severity === 'severe' ? `${a.substance} (severe)` : a.substance));
    return (
      <Chip
        color="error"
        icon={<WarningAmber aria-hidden="true" />}
        label={`Allergies: ${text.join(', ')}`}
        data-testid="banner-allergies"
        sx={{
          fontWeight: 600,
          maxWidth: '100%',
          height: 'auto',
          '& .MuiChip-label': { whiteSpace: 'normal' },
        }}
      />
    );
  }
  if (patient.allergyState === 'none-known') {
    return (
      <Chip color="success" variant="outlined" label="No known allergies" data-testid="banner-allergies" />
    );
  }
  return (
    <Chip color="warning" variant="outlined" label="Allergies not recorded" data-testid="banner-allergies" />
  );
}

const alertColor = { high: 'error', warning: 'warning', info: 'default' } as const;

type Props = {
  patient: BannerPatient;
  /** Shows a close button (the banner slot under the top bar). */
  onClose?: () => void;
  /** Inline in a page rather than under the top bar. */
  inline?: boolean;
};

/** The patient header: photo, name, age and sex, MRN, allergy state and alerts. */
export function PatientBannerView({ patient, onClose, inline }: Props) {
  const ageSex = [patient.age, patient.sex ? (sexLabel[patient.sex] ?? patient.sex) : null]
    .filter(Boolean)
    .join(' / ');
  return (
    <Box
      component="section"
      aria-label={inline ? `Patient ${patient.name}` : 'Patient in context'}
      data-testid="patient-banner"
      sx={{
        display: 'flex',
        alignItems: 'center',
        flexWrap: 'wrap',
        columnGap: 2,
        rowGap: 1,
        px: 2,
        py: 1,
        bgcolor: 'grey.100',
        border: inline ? 1 : 0,
        borderBottom: 1,
        borderRadius: inline ? 1 : 0,
        borderColor: 'divider',
      }}
    >
      <Avatar
        src={patient.photoUrl ?? undefined}
        alt={patient.photoUrl ? `Photo of ${patient.name}` : undefined}
        sx={{ width: 48, height: 48, bgcolor: 'primary.main' }}
      >
        <span aria-hidden="true">{initials(patient.name)}</span>
      </Avatar>
      <Box sx={{ minWidth: 0 }}>
        <Typography component="p" sx={{ fontWeight: 700, fontSize: '1.1rem', lineHeight: 1.3 }}>
          {patient.name}
        </Typography>
        <Typography component="p" variant="body2">
          <Box component="span" sx={{ fontFamily: 'monospace', fontWeight: 600 }}>
            MRN {patient.mrn}
          </Box>
          {ageSex && <> · {ageSex}</>}
          {patient.birthDate && (
            <>
              {' '}
              · born {patient.birthDateEstimated ? 'about ' : ''}
              {patient.birthDate}
            </>
          )}
        </Typography>
      </Box>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', minWidth: 0 }}>
        <AllergyChips patient={patient} />
        {(patient.alerts ?? []).map((a) => (
          <Chip
            key={`${a.label}:${a.text}`}
            color={alertColor[a.severity]}
            variant={a.severity === 'info' ? 'outlined' : 'filled'}
            label={`${a.label}: ${a.text}`}
            sx={{ maxWidth: '100%', height: 'auto', '& .MuiChip-label': { whiteSpace: 'normal' } }}
          />
        ))}
        {patient.unidentified && <Chip variant="outlined" label="Unidentified patient" />}
        {patient.merged && <Chip color="warning" label="Merged record" />}
      </Box>
      <Box sx={{ flexGrow: 1 }} />
      {onClose && (
        <IconButton aria-label="Close patient" onClick={onClose}>
          <CloseIcon />
        </IconButton>
      )}
    </Box>
  );
}
